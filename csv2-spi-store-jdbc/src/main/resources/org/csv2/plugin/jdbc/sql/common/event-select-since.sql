-- Transitions of all VMs at or after a time, oldest first. Parameters: since, limit.
SELECT vm, group_name, cloud, from_state, to_state, occurred_at, reason
  FROM csv2_vm_event
 WHERE occurred_at >= ?
 ORDER BY occurred_at, seq
 LIMIT ?
