-- csv2 JDBC state store, schema version 30 (MariaDB): reservations of virtual clusters and the
-- per-cloud capacity ledger rows a booking locks (docs/reservations.md). Keep the three
-- dialects' files in step.

CREATE TABLE csv2_reservation (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  owner_name  VARCHAR(64)       NOT NULL,
  group_name  VARCHAR(63)       NOT NULL,
  cloud       VARCHAR(63),
  any_cloud   SMALLINT          NOT NULL,
  flavor      VARCHAR(255),
  cores       INT               NOT NULL,
  ram_mib     BIGINT            NOT NULL,
  vm_count    INT               NOT NULL,
  image       VARCHAR(256),
  user_data   MEDIUMTEXT,
  ssh_key     MEDIUMTEXT,
  start_at    DECIMAL(30,9)     NOT NULL,
  end_at      DECIMAL(30,9)     NOT NULL,
  state       VARCHAR(16)       NOT NULL,
  reason      MEDIUMTEXT NOT NULL,
  created_at  DECIMAL(30,9)     NOT NULL,
  state_since DECIMAL(30,9)     NOT NULL,
  warned_at   DECIMAL(30,9),
  vms         MEDIUMTEXT NOT NULL,
  version     BIGINT            NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_reservation_cloud ON csv2_reservation (cloud, end_at);
CREATE INDEX csv2_reservation_window ON csv2_reservation (start_at, end_at);

-- One row per cloud: a booking or extension holds it with SELECT ... FOR UPDATE while it checks
-- the capacity over its window and writes, so bookings on one cloud are serialised by the
-- database itself, across processes. bookings counts the writes made under the lock.
CREATE TABLE csv2_resv_ledger (
  cloud    VARCHAR(63) NOT NULL,
  bookings BIGINT      NOT NULL,
  PRIMARY KEY (cloud)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
