-- What was sent of every accounting record.
SELECT record_key, fingerprint FROM csv2_accounting_sent
