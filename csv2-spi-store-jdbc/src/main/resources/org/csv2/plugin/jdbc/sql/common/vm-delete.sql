-- A VM removed, only if nobody wrote it since it was read (0 rows = conflict). Parameters: id, version read.
DELETE FROM csv2_vm WHERE id = ? AND version = ?
