-- Gives a lease up. Parameters: group_name, owner.
DELETE FROM csv2_lease WHERE group_name = ? AND owner = ?
