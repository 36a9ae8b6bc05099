-- The history of one VM, oldest first. Parameters: vm.
SELECT vm, group_name, cloud, from_state, to_state, occurred_at, reason
  FROM csv2_vm_event
 WHERE vm = ?
 ORDER BY occurred_at, seq
