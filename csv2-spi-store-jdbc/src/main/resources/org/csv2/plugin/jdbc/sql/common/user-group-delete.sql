DELETE FROM csv2_user_group WHERE user_name = ?
