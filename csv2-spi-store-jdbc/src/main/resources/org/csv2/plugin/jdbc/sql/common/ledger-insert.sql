-- Creates a cloud's ledger row (outside the booking's transaction; a duplicate is ignored).
-- Parameter: cloud.
INSERT INTO csv2_resv_ledger (cloud, bookings) VALUES (?, 0)
