-- A new VM. Parameters: the 26 columns in this order (version last).
INSERT INTO csv2_vm (id, group_name, cloud, flavor, cores, ram_mib, disk_gib, swap_mib, gpus, image, alias, instance_id, state, reason, created_at, state_since, transitions, registered_at, last_busy_at, retire_attempts, terminate_attempts, last_attempt_at, manual, keep_alive, price_per_hour, version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
