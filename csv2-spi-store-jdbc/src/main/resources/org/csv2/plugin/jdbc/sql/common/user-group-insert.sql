INSERT INTO csv2_user_group (user_name, group_name) VALUES (?, ?)
