-- Every VM's id, version and creation time: what tells whether a VM read before is unchanged (the
-- version alone cannot: a VM deleted and created again under its id starts again at version 1).
-- Read from the covering index csv2_vm_versions (V110), not from the rows.
SELECT id, version, created_at
  FROM csv2_vm
