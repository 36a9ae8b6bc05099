-- The image x cloud matrix and image actions (docs/images.md): what each cloud listed when an
-- engine last read its images (with the SHA-256 and size csv2 knows from moving the bytes), and
-- operators' requests to delete an image from a cloud or import a kept key pair into one.
CREATE TABLE csv2_cloud_image (
  cloud       VARCHAR(63)   NOT NULL,
  image_id    VARCHAR(255)  NOT NULL,
  name        VARCHAR(255)  NOT NULL,
  sha256      VARCHAR(64),
  size_bytes  BIGINT        NOT NULL,
  seen_at     DECIMAL(30,9) NOT NULL,
  PRIMARY KEY (cloud, image_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE csv2_image_action (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  kind         VARCHAR(32)   NOT NULL,
  cloud        VARCHAR(63)   NOT NULL,
  name         VARCHAR(255)  NOT NULL,
  image_id     VARCHAR(255),
  group_name   VARCHAR(63),
  state        VARCHAR(16)   NOT NULL,
  message      VARCHAR(255)  NOT NULL,
  owner_engine VARCHAR(64)   NOT NULL,
  requested_by VARCHAR(64)   NOT NULL,
  created_at   DECIMAL(30,9) NOT NULL,
  updated_at   DECIMAL(30,9) NOT NULL,
  version      BIGINT        NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX csv2_image_action_state ON csv2_image_action (state, id);
