-- Takes over or renews an existing lease in one conditional statement: 1 row = held.
-- Parameters: owner, expires, group_name, owner, now.
UPDATE csv2_lease
   SET owner = ?, expires = ?
 WHERE group_name = ? AND (owner = ? OR expires <= ?)
