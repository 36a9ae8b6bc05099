-- One accounting record. Parameters: vm, group_name, cloud, flavor, cores, ram_mib, start_at, end_at, wall_seconds.
INSERT INTO csv2_accounting (vm, group_name, cloud, flavor, cores, ram_mib, start_at, end_at, wall_seconds)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
