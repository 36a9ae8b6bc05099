INSERT INTO csv2_user (name, password_hash, is_admin, default_group, refresh_seconds, version) VALUES (?, ?, ?, ?, ?, ?)
