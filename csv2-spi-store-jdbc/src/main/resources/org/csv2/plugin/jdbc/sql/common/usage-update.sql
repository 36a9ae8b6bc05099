-- Replaces a usage record. Parameters: vm, group_name, cloud, flavor, image, cores, ram_mib, disk_gib, start_at, end_at, suspend_seconds, suspended_since, cpu_seconds, cpu_measured, users, open_jobs, price_per_hour, updated_at, uuid.
UPDATE csv2_vm_usage
   SET vm = ?, group_name = ?, cloud = ?, flavor = ?, image = ?, cores = ?, ram_mib = ?, disk_gib = ?,
       start_at = ?, end_at = ?, suspend_seconds = ?, suspended_since = ?, cpu_seconds = ?, cpu_measured = ?,
       users = ?, open_jobs = ?, price_per_hour = ?, updated_at = ?
 WHERE uuid = ?
