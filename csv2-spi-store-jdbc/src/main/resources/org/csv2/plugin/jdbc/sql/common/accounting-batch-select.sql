-- Prepared batches, oldest first.
SELECT id, created_at, entries FROM csv2_accounting_batch ORDER BY created_at, id
