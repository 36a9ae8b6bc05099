-- Reservations whose window overlaps [from, to). Parameters: to, from.
SELECT id, owner_name, group_name, cloud, any_cloud, flavor, cores, ram_mib, vm_count, image, user_data, ssh_key, start_at, end_at, state, reason, created_at, state_since, warned_at, vms, version
  FROM csv2_reservation
 WHERE start_at < ? AND end_at > ?
 ORDER BY start_at, id
