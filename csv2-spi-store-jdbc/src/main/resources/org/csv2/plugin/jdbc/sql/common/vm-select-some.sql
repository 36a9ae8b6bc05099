-- Some VMs, by id: the ones whose version changed since this store read them. The store replaces
-- {ids} by one ? per id (at most 500). Columns are read by name.
SELECT id, group_name, cloud, flavor, cores, ram_mib, disk_gib, swap_mib, gpus, image, alias, instance_id, state, reason, created_at, state_since, transitions, registered_at, last_busy_at, retire_attempts, terminate_attempts, last_attempt_at, manual, keep_alive, price_per_hour, version
  FROM csv2_vm
 WHERE id IN ({ids})
