-- Writes a reservation's lifecycle fields if it is still at the version read.
-- Parameters: state, reason, state_since, warned_at, vms, new version, id, expected version.
UPDATE csv2_reservation
   SET state = ?, reason = ?, state_since = ?, warned_at = ?, vms = ?, version = ?
 WHERE id = ? AND version = ?
