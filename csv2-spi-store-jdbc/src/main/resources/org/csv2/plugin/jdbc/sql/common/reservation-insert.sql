-- Stores a new reservation (the id is generated).
-- Parameters: owner_name, group_name, cloud, any_cloud, flavor, cores, ram_mib, vm_count, image, user_data,
-- ssh_key, start_at, end_at, state, reason, created_at, state_since, warned_at, vms, version.
INSERT INTO csv2_reservation (owner_name, group_name, cloud, any_cloud, flavor, cores, ram_mib, vm_count, image,
    user_data, ssh_key, start_at, end_at, state, reason, created_at, state_since, warned_at, vms, version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
