DELETE FROM csv2_user WHERE name = ?
