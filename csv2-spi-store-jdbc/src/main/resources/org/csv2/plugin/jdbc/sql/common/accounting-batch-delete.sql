-- A batch recorded as sent. Parameters: id.
DELETE FROM csv2_accounting_batch WHERE id = ?
