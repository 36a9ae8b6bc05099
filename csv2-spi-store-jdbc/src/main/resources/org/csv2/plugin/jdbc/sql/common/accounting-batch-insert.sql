-- A prepared batch. Parameters: id, created_at, entries.
INSERT INTO csv2_accounting_batch (id, created_at, entries) VALUES (?, ?, ?)
