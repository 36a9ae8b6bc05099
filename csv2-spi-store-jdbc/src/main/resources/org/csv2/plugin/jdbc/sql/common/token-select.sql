SELECT id, user_name, secret_hash, label, created_at, expires_at FROM csv2_api_token WHERE id = ?
