INSERT INTO csv2_api_token (id, user_name, secret_hash, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
