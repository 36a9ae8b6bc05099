-- A record sent the first time. Parameters: record_key, fingerprint, sent_at.
INSERT INTO csv2_accounting_sent (record_key, fingerprint, sent_at) VALUES (?, ?, ?)
