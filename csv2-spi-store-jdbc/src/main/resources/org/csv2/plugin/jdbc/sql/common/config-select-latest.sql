-- The newest configuration version (older versions are kept as history).
SELECT version, format, document, updated_at, updated_by
  FROM csv2_config
 ORDER BY version DESC
 LIMIT 1
