-- Accounting records of VMs that ended in [from, to), by end. Parameters: from, to.
SELECT vm, group_name, cloud, flavor, cores, ram_mib, start_at, end_at, wall_seconds
  FROM csv2_accounting
 WHERE end_at >= ? AND end_at < ?
 ORDER BY end_at, seq
