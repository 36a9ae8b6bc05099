-- csv2 JDBC state store, schema version 40 (MariaDB): per-VM usage records and what of them was sent
-- to APEL (docs/accounting.md). Keep the three dialects' files in step.

CREATE TABLE csv2_vm_usage (
  uuid            VARCHAR(36)       NOT NULL,
  vm              VARCHAR(253)      NOT NULL,
  group_name      VARCHAR(63)       NOT NULL,
  cloud           VARCHAR(63)       NOT NULL,
  flavor          MEDIUMTEXT NOT NULL,
  image           MEDIUMTEXT NOT NULL,
  cores           INTEGER           NOT NULL,
  ram_mib         BIGINT            NOT NULL,
  disk_gib        BIGINT            NOT NULL,
  start_at        DECIMAL(30,9)     NOT NULL,
  end_at          DECIMAL(30,9),
  suspend_seconds BIGINT            NOT NULL,
  suspended_since DECIMAL(30,9),
  cpu_seconds     DOUBLE NOT NULL,
  cpu_measured    BOOLEAN NOT NULL,
  users           MEDIUMTEXT NOT NULL,
  open_jobs       MEDIUMTEXT NOT NULL,
  price_per_hour  DOUBLE NOT NULL,
  updated_at      DECIMAL(30,9)     NOT NULL,
  PRIMARY KEY (uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_vm_usage_start ON csv2_vm_usage (start_at);
CREATE INDEX csv2_vm_usage_end ON csv2_vm_usage (end_at);

-- The fingerprint of the figures last sent for each accounting record (a VM and month, or a summary).
CREATE TABLE csv2_accounting_sent (
  record_key  VARCHAR(255)      NOT NULL,
  fingerprint VARCHAR(64)       NOT NULL,
  sent_at     DECIMAL(30,9)     NOT NULL,
  PRIMARY KEY (record_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Batches (messages) prepared and not yet recorded as sent; entries: one "key fingerprint" a line.
CREATE TABLE csv2_accounting_batch (
  id         VARCHAR(64)       NOT NULL,
  created_at DECIMAL(30,9)     NOT NULL,
  entries    MEDIUMTEXT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
