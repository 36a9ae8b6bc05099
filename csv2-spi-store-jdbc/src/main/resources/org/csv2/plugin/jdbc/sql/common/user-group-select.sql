SELECT user_name, group_name FROM csv2_user_group WHERE user_name = ? ORDER BY group_name
