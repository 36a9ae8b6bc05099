-- Locks a cloud's ledger row until the transaction ends: the database's own lock serialises
-- bookings on one cloud across processes. Parameter: cloud.
SELECT bookings FROM csv2_resv_ledger WHERE cloud = ? FOR UPDATE
