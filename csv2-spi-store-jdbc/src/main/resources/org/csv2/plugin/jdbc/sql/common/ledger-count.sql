-- Counts a write made under a cloud's ledger lock. Parameter: cloud.
UPDATE csv2_resv_ledger SET bookings = bookings + 1 WHERE cloud = ?
