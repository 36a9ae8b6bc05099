-- Takes a lease nobody ever held (or that was released). If two engines race, the primary key lets
-- exactly one in; the other gets a duplicate-key error and does not hold the lease.
-- Parameters: group_name, owner, expires.
INSERT INTO csv2_lease (group_name, owner, expires) VALUES (?, ?, ?)
