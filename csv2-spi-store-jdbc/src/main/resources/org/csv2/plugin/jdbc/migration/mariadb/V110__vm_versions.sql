-- The store's vms() reads every VM's id, version and creation time each cycle and fetches whole
-- rows only for the VMs that changed since it read them (BENCHMARKS.md, B7: a cycle at 12,500
-- VMs). This index covers that read, so it does not scan the rows with their long transitions.
CREATE INDEX csv2_vm_versions ON csv2_vm (id, version, created_at);
