-- One prepared batch, locked. Parameters: id.
SELECT id, created_at, entries FROM csv2_accounting_batch WHERE id = ? FOR UPDATE
