DELETE FROM csv2_api_token WHERE id = ?
