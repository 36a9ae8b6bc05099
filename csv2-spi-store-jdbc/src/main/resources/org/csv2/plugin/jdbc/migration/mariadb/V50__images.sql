-- Images and key pairs (docs/images.md): image transfers as operator records with progress,
-- and the public keys csv2 keeps to import key pairs into any cloud.
CREATE TABLE csv2_image_transfer (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  image           VARCHAR(255)  NOT NULL,
  group_name      VARCHAR(63),
  source_cloud    VARCHAR(63),
  source_image_id VARCHAR(255),
  source_url      VARCHAR(2000),
  target_cloud    VARCHAR(63)   NOT NULL,
  disk_format     VARCHAR(16)   NOT NULL,
  sha256          VARCHAR(64),
  size_bytes      BIGINT        NOT NULL,
  bytes_done      BIGINT        NOT NULL,
  state           VARCHAR(16)   NOT NULL,
  message         VARCHAR(255)  NOT NULL,
  target_image_id VARCHAR(255),
  attempts        INT           NOT NULL,
  owner_engine    VARCHAR(64)   NOT NULL,
  requested_by    VARCHAR(64)   NOT NULL,
  created_at      DECIMAL(30,9) NOT NULL,
  started_at      DECIMAL(30,9),
  updated_at      DECIMAL(30,9) NOT NULL,
  version         BIGINT        NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_image_transfer_state ON csv2_image_transfer (state, id);

CREATE TABLE csv2_key_pair (
  name        VARCHAR(255)  NOT NULL,
  public_key  MEDIUMTEXT NOT NULL,
  fingerprint VARCHAR(255)  NOT NULL,
  created_at  DECIMAL(30,9) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
