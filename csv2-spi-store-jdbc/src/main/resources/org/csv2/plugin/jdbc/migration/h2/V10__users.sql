-- csv2-server: users, their group memberships and their API tokens (docs/server.md).
CREATE TABLE csv2_user (
  name            VARCHAR(64)   NOT NULL,
  password_hash   VARCHAR(255)  NOT NULL,
  is_admin        INT           NOT NULL,
  default_group   VARCHAR(63),
  refresh_seconds INT           NOT NULL,
  version         BIGINT        NOT NULL,
  CONSTRAINT csv2_user_pk PRIMARY KEY (name)
);

CREATE TABLE csv2_user_group (
  user_name  VARCHAR(64) NOT NULL,
  group_name VARCHAR(63) NOT NULL,
  CONSTRAINT csv2_user_group_pk PRIMARY KEY (user_name, group_name),
  CONSTRAINT csv2_user_group_user_fk FOREIGN KEY (user_name) REFERENCES csv2_user (name) ON DELETE CASCADE
);

CREATE TABLE csv2_api_token (
  id          VARCHAR(32)   NOT NULL,
  user_name   VARCHAR(64)   NOT NULL,
  secret_hash VARCHAR(255)  NOT NULL,
  label       VARCHAR(128)  NOT NULL,
  created_at  DECIMAL(30,9) NOT NULL,
  expires_at  DECIMAL(30,9),
  CONSTRAINT csv2_api_token_pk PRIMARY KEY (id),
  CONSTRAINT csv2_api_token_user_fk FOREIGN KEY (user_name) REFERENCES csv2_user (name) ON DELETE CASCADE
);
CREATE INDEX csv2_api_token_user ON csv2_api_token (user_name);
