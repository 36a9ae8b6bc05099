-- Replaces a group's status snapshot. Parameters: observed_at, engine, document, group_name.
UPDATE csv2_status SET observed_at = ?, engine = ?, document = ? WHERE group_name = ?
