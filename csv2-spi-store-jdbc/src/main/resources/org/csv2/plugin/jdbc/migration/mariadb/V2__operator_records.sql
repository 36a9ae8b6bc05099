-- csv2 JDBC state store, schema version 2 (MariaDB): operator intents, the audit log and the engines'
-- status snapshots (docs/operations.md). Keep the three dialects' files in step.

CREATE TABLE csv2_intent (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  kind         VARCHAR(16)       NOT NULL,
  group_name   VARCHAR(63)       NOT NULL,
  cloud        VARCHAR(63),
  vm           VARCHAR(253),
  parameters   MEDIUMTEXT        NOT NULL,
  actor_name   VARCHAR(64)       NOT NULL,
  actor_role   VARCHAR(32)       NOT NULL,
  created_at   DECIMAL(30,9)     NOT NULL,
  status       VARCHAR(16)       NOT NULL,
  message      MEDIUMTEXT        NOT NULL,
  completed_at DECIMAL(30,9),
  version      BIGINT            NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_intent_status ON csv2_intent (status, group_name, id);
CREATE INDEX csv2_intent_group ON csv2_intent (group_name, id);

CREATE TABLE csv2_audit (
  seq         BIGINT NOT NULL AUTO_INCREMENT,
  occurred_at DECIMAL(30,9)     NOT NULL,
  actor_name  VARCHAR(64)       NOT NULL,
  actor_role  VARCHAR(32)       NOT NULL,
  action      VARCHAR(256)      NOT NULL,
  target      VARCHAR(256)      NOT NULL,
  before_text MEDIUMTEXT        NOT NULL,
  after_text  MEDIUMTEXT        NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_audit_at ON csv2_audit (occurred_at, seq);

CREATE TABLE csv2_status (
  group_name  VARCHAR(63)       NOT NULL,
  observed_at DECIMAL(30,9)     NOT NULL,
  engine      VARCHAR(255)      NOT NULL,
  document    MEDIUMTEXT        NOT NULL,
  PRIMARY KEY (group_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
