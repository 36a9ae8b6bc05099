-- Finishes an intent if it is still at the version read.
-- Parameters: status, message, completed_at, new version, id, expected version.
UPDATE csv2_intent
   SET status = ?, message = ?, completed_at = ?, version = ?
 WHERE id = ? AND version = ?
