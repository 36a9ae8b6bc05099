-- One VM transition. Parameters: vm, group_name, cloud, from_state, to_state, occurred_at, reason.
INSERT INTO csv2_vm_event (vm, group_name, cloud, from_state, to_state, occurred_at, reason)
VALUES (?, ?, ?, ?, ?, ?, ?)
