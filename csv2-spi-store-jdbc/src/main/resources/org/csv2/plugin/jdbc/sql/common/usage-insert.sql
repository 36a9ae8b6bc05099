-- A new usage record. Parameters: vm, group_name, cloud, flavor, image, cores, ram_mib, disk_gib, start_at, end_at, suspend_seconds, suspended_since, cpu_seconds, cpu_measured, users, open_jobs, price_per_hour, updated_at, uuid.
INSERT INTO csv2_vm_usage (vm, group_name, cloud, flavor, image, cores, ram_mib, disk_gib, start_at, end_at, suspend_seconds, suspended_since, cpu_seconds, cpu_measured, users, open_jobs, price_per_hour, updated_at, uuid)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
