SELECT user_name, group_name FROM csv2_user_group ORDER BY user_name, group_name
