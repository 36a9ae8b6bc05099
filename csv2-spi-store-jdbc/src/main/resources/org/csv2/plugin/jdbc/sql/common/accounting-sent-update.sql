-- A record sent again. Parameters: fingerprint, sent_at, record_key.
UPDATE csv2_accounting_sent SET fingerprint = ?, sent_at = ? WHERE record_key = ?
