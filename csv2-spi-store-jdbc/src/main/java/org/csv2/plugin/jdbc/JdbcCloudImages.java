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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageAction;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.jspecify.annotations.Nullable;

/**
 * The image x cloud matrix and image actions of the JDBC store (Flyway V120): plain SQL the three
 * dialects share, like {@link JdbcImages}.
 *
 * <p>Thread safety: stateless; every method works on the connection it is given.
 */
final class JdbcCloudImages {
  private static final String IMAGE_COLUMNS = "cloud, image_id, name, sha256, size_bytes, seen_at";
  private static final String ACTION_COLUMNS =
      "kind, cloud, name, image_id, group_name, state, message, owner_engine, requested_by, created_at, updated_at, version";

  private JdbcCloudImages() {}

  /** Replaces a cloud's rows in one transaction, keeping what is known of the bytes of ids still listed. */
  static void saveCloud(Connection c, CloudName cloud, List<Image> images, Instant readAt) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      Map<String, CloudImage> before = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM csv2_cloud_image WHERE cloud = ?")) {
        ps.setString(1, cloud.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            CloudImage i = image(rs);
            before.put(i.id(), i);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM csv2_cloud_image WHERE cloud = ?")) {
        ps.setString(1, cloud.value());
        ps.executeUpdate();
      }
      Set<String> seen = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO csv2_cloud_image (" + IMAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Image i : images) {
          if (!seen.add(i.id())) {
            continue;
          }
          CloudImage known = before.get(i.id());
          bind(ps, new CloudImage(cloud, i.id(), i.name(), known == null ? null : known.sha256(),
              known == null ? -1 : known.size(), readAt));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static void saveOne(Connection c, CloudImage image) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      delete(c, image.cloud(), image.id());
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO csv2_cloud_image (" + IMAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        bind(ps, image);
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

  static boolean delete(Connection c, CloudName cloud, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM csv2_cloud_image WHERE cloud = ? AND image_id = ?")) {
      ps.setString(1, cloud.value());
      ps.setString(2, id);
      return ps.executeUpdate() > 0;
    }
  }

  static List<CloudImage> all(Connection c) throws SQLException {
    List<CloudImage> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT " + IMAGE_COLUMNS + " FROM csv2_cloud_image ORDER BY cloud, name, image_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(image(rs));
      }
    }
    return out;
  }

  static ImageAction saveAction(Connection c, ImageAction a) throws SQLException {
    if (a.id() == 0) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO csv2_image_action (" + ACTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, a.kind().name());
        ps.setString(2, a.cloud().value());
        ps.setString(3, a.name());
        setString(ps, 4, a.imageId());
        setString(ps, 5, a.group() == null ? null : a.group().value());
        ps.setString(6, a.state().name());
        ps.setString(7, a.message());
        ps.setString(8, a.owner());
        ps.setString(9, a.requestedBy());
        ps.setBigDecimal(10, Codec.seconds(a.created()));
        ps.setBigDecimal(11, Codec.seconds(a.updated()));
        ps.setLong(12, 1);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("the database returned no id for the new image action");
          }
          return a.stored(keys.getLong(1), 1);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE csv2_image_action SET state = ?, message = ?, owner_engine = ?, updated_at = ?, version = ?"
            + " WHERE id = ? AND version = ?")) {
      ps.setString(1, a.state().name());
      ps.setString(2, a.message());
      ps.setString(3, a.owner());
      ps.setBigDecimal(4, Codec.seconds(a.updated()));
      ps.setLong(5, a.version() + 1);
      ps.setLong(6, a.id());
      ps.setLong(7, a.version());
      if (ps.executeUpdate() != 1) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT,
            "image action " + a.id() + ": version " + a.version() + " was read but another version is stored (or none); read it again");
      }
    }
    return a.stored(a.id(), a.version() + 1);
  }

  static List<ImageAction> actions(Connection c, boolean activeOnly, int limit) throws SQLException {
    String where = activeOnly ? " WHERE state IN ('PENDING', 'RUNNING')" : "";
    try (PreparedStatement ps = c.prepareStatement("SELECT id, " + ACTION_COLUMNS + " FROM csv2_image_action" + where + " ORDER BY id DESC")) {
      ps.setMaxRows(Math.max(0, limit));
      List<ImageAction> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && out.size() < limit) {
          out.add(action(rs));
        }
      }
      return out;
    }
  }

  private static void bind(PreparedStatement ps, CloudImage i) throws SQLException {
    ps.setString(1, i.cloud().value());
    ps.setString(2, i.id());
    ps.setString(3, i.name());
    setString(ps, 4, i.sha256());
    ps.setLong(5, i.size());
    ps.setBigDecimal(6, Codec.seconds(i.seen()));
  }

  private static CloudImage image(ResultSet rs) throws SQLException {
    String cloud = rs.getString("cloud");
    String id = rs.getString("image_id");
    try {
      return new CloudImage(CloudName.of(cloud), id, rs.getString("name"), rs.getString("sha256"), rs.getLong("size_bytes"),
          Codec.instant(rs.getBigDecimal("seen_at")));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_cloud_image, image " + id + " of cloud " + cloud, e);
    }
  }

  private static ImageAction action(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    try {
      String group = rs.getString("group_name");
      return new ImageAction(
          id,
          ImageAction.Kind.valueOf(rs.getString("kind")),
          CloudName.of(rs.getString("cloud")),
          rs.getString("name"),
          rs.getString("image_id"),
          group == null ? null : GroupName.of(group),
          ImageAction.State.valueOf(rs.getString("state")),
          rs.getString("message"),
          rs.getString("owner_engine"),
          rs.getString("requested_by"),
          Codec.instant(rs.getBigDecimal("created_at")),
          Codec.instant(rs.getBigDecimal("updated_at")),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_image_action, action " + id, e);
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
