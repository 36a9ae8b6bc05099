UPDATE csv2_user SET password_hash = ?, is_admin = ?, default_group = ?, refresh_seconds = ?, version = ? WHERE name = ? AND version = ?
