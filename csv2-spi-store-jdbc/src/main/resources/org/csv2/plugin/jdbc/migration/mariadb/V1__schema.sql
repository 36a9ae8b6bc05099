-- csv2 JDBC state store, schema version 1 (MariaDB). Keep the three dialects' files in step.
-- Times are DECIMAL(30,9) seconds since 1970-01-01T00:00:00Z (exact to the nanosecond, any range).

CREATE TABLE csv2_vm (
  id                 VARCHAR(253)      NOT NULL,
  group_name         VARCHAR(63)       NOT NULL,
  cloud              VARCHAR(63)       NOT NULL,
  flavor             MEDIUMTEXT        NOT NULL,
  cores              INTEGER           NOT NULL,
  ram_mib            BIGINT            NOT NULL,
  disk_gib           BIGINT            NOT NULL,
  swap_mib           BIGINT            NOT NULL,
  gpus               INTEGER           NOT NULL,
  image              MEDIUMTEXT        NOT NULL,
  alias              VARCHAR(63),
  instance_id        MEDIUMTEXT       ,
  state              VARCHAR(16)       NOT NULL,
  reason             MEDIUMTEXT        NOT NULL,
  created_at         DECIMAL(30,9)     NOT NULL,
  state_since        DECIMAL(30,9)     NOT NULL,
  transitions        MEDIUMTEXT        NOT NULL,
  registered_at      DECIMAL(30,9),
  last_busy_at       DECIMAL(30,9),
  retire_attempts    INTEGER           NOT NULL,
  terminate_attempts INTEGER           NOT NULL,
  last_attempt_at    DECIMAL(30,9),
  manual             BOOLEAN           NOT NULL,
  keep_alive         DECIMAL(30,9),
  price_per_hour     DOUBLE            NOT NULL,
  version            BIGINT            NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_vm_group ON csv2_vm (group_name);

CREATE TABLE csv2_vm_event (
  seq        BIGINT NOT NULL AUTO_INCREMENT,
  vm         VARCHAR(253)      NOT NULL,
  group_name VARCHAR(63)       NOT NULL,
  cloud      VARCHAR(63)       NOT NULL,
  from_state VARCHAR(16),
  to_state   VARCHAR(16)       NOT NULL,
  occurred_at DECIMAL(30,9)     NOT NULL,
  reason     MEDIUMTEXT        NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_vm_event_vm ON csv2_vm_event (vm, seq);
CREATE INDEX csv2_vm_event_at ON csv2_vm_event (occurred_at, seq);

CREATE TABLE csv2_sample (
  seq    BIGINT NOT NULL AUTO_INCREMENT,
  sampled_at DECIMAL(30,9)     NOT NULL,
  metric VARCHAR(255)      NOT NULL,
  labels MEDIUMTEXT        NOT NULL,
  val    DOUBLE            NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_sample_metric_at ON csv2_sample (metric, sampled_at, seq);

CREATE TABLE csv2_accounting (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  vm           VARCHAR(253)      NOT NULL,
  group_name   VARCHAR(63)       NOT NULL,
  cloud        VARCHAR(63)       NOT NULL,
  flavor       MEDIUMTEXT        NOT NULL,
  cores        INTEGER           NOT NULL,
  ram_mib      BIGINT            NOT NULL,
  start_at     DECIMAL(30,9)     NOT NULL,
  end_at       DECIMAL(30,9)     NOT NULL,
  wall_seconds BIGINT            NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_accounting_end ON csv2_accounting (end_at, seq);

CREATE TABLE csv2_config (
  version    BIGINT            NOT NULL,
  format     VARCHAR(32)       NOT NULL,
  document   MEDIUMTEXT        NOT NULL,
  updated_at DECIMAL(30,9)     NOT NULL,
  updated_by MEDIUMTEXT        NOT NULL,
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE csv2_lease (
  group_name VARCHAR(63)   NOT NULL,
  owner      VARCHAR(255)  NOT NULL,
  expires    DECIMAL(30,9) NOT NULL,
  PRIMARY KEY (group_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- APEL-style cloud usage, one row per finished VM (see docs/state-store.md). Times are UTC DATETIMEs.
CREATE VIEW csv2_apel_usage AS
SELECT vm                                   AS vm_uuid,
       group_name                           AS vo_group,
       cloud                                AS site_cloud,
       flavor                               AS cloud_type,
       cores                                AS cpu_count,
       ram_mib                              AS memory_mib,
       TIMESTAMPADD(MICROSECOND, CAST(FLOOR(start_at * 1000000) AS SIGNED), TIMESTAMP '1970-01-01 00:00:00') AS start_time,
       TIMESTAMPADD(MICROSECOND, CAST(FLOOR(end_at * 1000000) AS SIGNED), TIMESTAMP '1970-01-01 00:00:00')   AS end_time,
       wall_seconds                         AS wall_duration,
       wall_seconds * cores                 AS cpu_duration,
       'completed'                          AS status
  FROM csv2_accounting;
