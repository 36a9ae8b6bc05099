-- A changed VM, only if nobody wrote it since it was read (optimistic lock: 0 rows = conflict).
-- Parameters: the 25 columns after id in table order (new version last), then id, then the version read.
UPDATE csv2_vm
   SET group_name = ?, cloud = ?, flavor = ?, cores = ?, ram_mib = ?, disk_gib = ?, swap_mib = ?,
       gpus = ?, image = ?, alias = ?, instance_id = ?, state = ?, reason = ?, created_at = ?,
       state_since = ?, transitions = ?, registered_at = ?, last_busy_at = ?, retire_attempts = ?,
       terminate_attempts = ?, last_attempt_at = ?, manual = ?, keep_alive = ?, price_per_hour = ?,
       version = ?
 WHERE id = ? AND version = ?
