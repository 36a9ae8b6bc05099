-- Moves a reservation's end if it is still at the version read.
-- Parameters: end_at, new version, id, expected version.
UPDATE csv2_reservation
   SET end_at = ?, version = ?
 WHERE id = ? AND version = ?
