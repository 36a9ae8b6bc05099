/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.plugin.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The image records of the JDBC store (Flyway V50): transfers and kept public keys. The
 * statements are plain SQL the three dialects share, so they live here rather than in the
 * per-dialect statement files.
 *
 * <p>Thread safety: stateless; every method works on the connection it is given.
 */
final class JdbcImages {
  private static final String COLUMNS =
      "image, group_name, source_cloud, source_image_id, source_url, target_cloud, disk_format, sha256, size_bytes,"
          + " bytes_done, state, message, target_image_id, attempts, owner_engine, requested_by, created_at, started_at,"
          + " updated_at, version";
  private static final String INSERT =
      "INSERT INTO csv2_image_transfer (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE csv2_image_transfer SET sha256 = ?, size_bytes = ?, bytes_done = ?, state = ?, message = ?,"
          + " target_image_id = ?, attempts = ?, owner_engine = ?, started_at = ?, updated_at = ?, version = ?"
          + " WHERE id = ? AND version = ?";
  private static final String SELECT = "SELECT id, " + COLUMNS + " FROM csv2_image_transfer";

  private JdbcImages() {}

  static ImageTransfer save(Connection c, ImageTransfer t) throws SQLException {
    if (t.id() == 0) {
      ImageTransfer stored;
      try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, t.image());
        setString(ps, 2, t.group() == null ? null : t.group().value());
        setString(ps, 3, t.source() == null ? null : t.source().value());
        setString(ps, 4, t.sourceImageId());
        setString(ps, 5, t.sourceUrl());
        ps.setString(6, t.target().value());
        ps.setString(7, t.diskFormat());
        setString(ps, 8, t.sha256());
        ps.setLong(9, t.size());
        ps.setLong(10, t.bytesDone());
        ps.setString(11, t.state().name());
        ps.setString(12, t.message());
        setString(ps, 13, t.targetImageId());
        ps.setInt(14, t.attempts());
        ps.setString(15, t.owner());
        ps.setString(16, t.requestedBy());
        ps.setBigDecimal(17, Codec.seconds(t.created()));
        ps.setBigDecimal(18, Codec.secondsOrNull(t.started()));
        ps.setBigDecimal(19, Codec.seconds(t.updated()));
        ps.setLong(20, 1);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("the database returned no id for the new transfer");
          }
          stored = t.stored(keys.getLong(1), 1);
        }
      }
      return stored;
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      setString(ps, 1, t.sha256());
      ps.setLong(2, t.size());
      ps.setLong(3, t.bytesDone());
      ps.setString(4, t.state().name());
      ps.setString(5, t.message());
      setString(ps, 6, t.targetImageId());
      ps.setInt(7, t.attempts());
      ps.setString(8, t.owner());
      ps.setBigDecimal(9, Codec.secondsOrNull(t.started()));
      ps.setBigDecimal(10, Codec.seconds(t.updated()));
      ps.setLong(11, t.version() + 1);
      ps.setLong(12, t.id());
      ps.setLong(13, t.version());
      if (ps.executeUpdate() != 1) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT,
            "transfer " + t.id() + ": version " + t.version() + " was read but another version is stored (or none); read it again");
      }
    }
    return t.stored(t.id(), t.version() + 1);
  }

  static Optional<ImageTransfer> get(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(transfer(rs)) : Optional.empty();
      }
    }
  }

  static List<ImageTransfer> list(Connection c, boolean activeOnly, int limit) throws SQLException {
    String where = activeOnly ? " WHERE state IN ('PENDING', 'RUNNING')" : "";
    try (PreparedStatement ps = c.prepareStatement(SELECT + where + " ORDER BY id DESC")) {
      ps.setMaxRows(Math.max(0, limit));
      List<ImageTransfer> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && out.size() < limit) {
          out.add(transfer(rs));
        }
      }
      return out;
    }
  }

  static void saveKey(Connection c, StoredKeyPair k) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM csv2_key_pair WHERE name = ?")) {
        ps.setString(1, k.name());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO csv2_key_pair (name, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, k.name());
        ps.setString(2, k.publicKey());
        ps.setString(3, k.fingerprint());
        ps.setBigDecimal(4, Codec.seconds(k.created()));
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static List<StoredKeyPair> keys(Connection c) throws SQLException {
    List<StoredKeyPair> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT name, public_key, fingerprint, created_at FROM csv2_key_pair ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString("name");
        try {
          out.add(new StoredKeyPair(name, rs.getString("public_key"), rs.getString("fingerprint"),
              Codec.instant(rs.getBigDecimal("created_at"))));
        } catch (RuntimeException e) {
          throw corrupt("table csv2_key_pair, key pair " + name, e);
        }
      }
    }
    return out;
  }

  static boolean deleteKey(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM csv2_key_pair WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  private static ImageTransfer transfer(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    try {
      String group = rs.getString("group_name");
      String source = rs.getString("source_cloud");
      return new ImageTransfer(
          id,
          rs.getString("image"),
          group == null ? null : GroupName.of(group),
          source == null ? null : CloudName.of(source),
          rs.getString("source_image_id"),
          rs.getString("source_url"),
          CloudName.of(rs.getString("target_cloud")),
          rs.getString("disk_format"),
          rs.getString("sha256"),
          rs.getLong("size_bytes"),
          rs.getLong("bytes_done"),
          ImageTransfer.State.valueOf(rs.getString("state")),
          rs.getString("message"),
          rs.getString("target_image_id"),
          rs.getInt("attempts"),
          rs.getString("owner_engine"),
          rs.getString("requested_by"),
          Codec.instant(rs.getBigDecimal("created_at")),
          Codec.instantOrNull(rs.getBigDecimal("started_at")),
          Codec.instant(rs.getBigDecimal("updated_at")),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_image_transfer, transfer " + id, e);
    }
  }

  private static StateStoreException corrupt(String where, RuntimeException e) {
    return new StateStoreException(
        StateStoreException.Reason.CORRUPT,
        where + ": a stored row cannot be read back (" + e.getMessage() + "); fix or delete the row",
        e);
  }

  private static void setString(PreparedStatement ps, int i, @Nullable String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }
}
