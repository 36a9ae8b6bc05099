SELECT name, password_hash, is_admin, default_group, refresh_seconds, version FROM csv2_user WHERE name = ?
