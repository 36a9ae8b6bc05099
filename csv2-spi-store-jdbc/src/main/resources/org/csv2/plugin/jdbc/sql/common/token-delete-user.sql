DELETE FROM csv2_api_token WHERE user_name = ?
