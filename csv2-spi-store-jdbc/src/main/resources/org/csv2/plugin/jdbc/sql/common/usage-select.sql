-- Usage records of VMs that ran in [from, to): started before to, running or ended at or after from.
-- Parameters: to, from.
SELECT uuid, vm, group_name, cloud, flavor, image, cores, ram_mib, disk_gib, start_at, end_at, suspend_seconds, suspended_since, cpu_seconds, cpu_measured, users, open_jobs, price_per_hour, updated_at
  FROM csv2_vm_usage
 WHERE start_at < ? AND (end_at IS NULL OR end_at >= ?)
 ORDER BY start_at, vm
