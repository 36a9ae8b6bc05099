-- A new configuration version; the primary key refuses a second writer of the same version.
-- Parameters: version, format, document, updated_at, updated_by.
INSERT INTO csv2_config (version, format, document, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
