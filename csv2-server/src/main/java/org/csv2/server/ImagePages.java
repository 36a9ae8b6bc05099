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
package org.csv2.server;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageAction;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.Images;
import org.csv2.model.CloudName;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;

/**
 * The images page ({@code /images}; docs/images.md): the image x cloud matrix, the transfers with
 * their progress, and the image deletes and key-pair copies, server-rendered (no script; the
 * progress is an HTML {@code <progress>} element). A member sees the clouds of their groups only,
 * and the transfers and actions that touch only those clouds; {@code group=} narrows to one group.
 */
final class ImagePages {
  /** How many transfers and actions the page shows. */
  static final int RECENT = 50;

  private ImagePages() {}

  static void install(Javalin app, Auth auth, World world) {
    Images images = world.operations().images();
    app.get(
        "/images",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User u = p.require();
          Images.Matrix m = ImageApi.matrix(ctx, p, images);
          // the transfers and actions of the clouds shown (an admin without a group: all of them)
          Set<CloudName> seen = null;
          if (!p.admin() || Api.param(ctx, "group") != null) {
            seen = new java.util.HashSet<>();
            for (Images.Column c : m.clouds()) {
              seen.add(c.cloud());
            }
          }
          Set<CloudName> shown = seen;
          List<Transfer> transfers = new ArrayList<>();
          List<ImageAction> actions = new ArrayList<>();
          try {
            for (ImageTransfer t : images.transfers(World.actor(u), false, RECENT)) {
              if (shown == null || shown.contains(t.target()) && (t.source() == null || shown.contains(t.source()))
                  && (t.group() == null || p.canSee(t.group()))) {
                transfers.add(Transfer.of(t));
              }
            }
            actions.addAll(images.actions(World.actor(u), false, RECENT).stream()
                .filter(a -> shown == null || shown.contains(a.cloud()) && (a.group() == null || p.canSee(a.group()))).toList());
          } catch (org.csv2.api.ops.OperationException e) {
            // a store without image records: the page says there is nothing
          }
          Map<String, Object> model = new HashMap<>();
          model.put("clouds", m.clouds());
          model.put("rows", rows(m));
          model.put("transfers", transfers);
          model.put("actions", actions);
          model.put("group", Api.param(ctx, "group"));
          Pages.render(ctx, "images", p, model);
        });
  }

  /** One row of the matrix: a cell per column, in the columns' order. */
  record Row(String image, List<Cell> cells) {}

  /** What one cloud lists under a row's name: empty when nothing. */
  record Cell(List<CloudImage> images) {
    /** The ids, for the cell's text. */
    public String ids() {
      return String.join(", ", images.stream().map(CloudImage::id).toList());
    }

    /** What is known of the bytes, for the cell's title. */
    public String detail() {
      List<String> parts = new ArrayList<>();
      for (CloudImage i : images) {
        parts.add(i.id() + (i.sha256() == null ? "" : " sha256 " + i.sha256()) + (i.size() < 0 ? "" : " " + bytes(i.size())));
      }
      return String.join("; ", parts);
    }
  }

  /** A transfer as the page shows it. */
  record Transfer(
      long id, String image, String from, String to, String state, long done, long size, String progress, String rate,
      String eta, String message, String by) {
    static Transfer of(ImageTransfer t) {
      long size = Math.max(0, t.size());
      String progress = t.size() > 0
          ? bytes(t.bytesDone()) + " of " + bytes(t.size()) + " (" + (t.bytesDone() * 100 / t.size()) + "%)"
          : bytes(t.bytesDone());
      double r = t.bytesPerSecond();
      String eta = t.eta().map(ImagePages::duration).orElse("");
      return new Transfer(t.id(), t.image(), t.from(), t.target().value(), t.state().name().toLowerCase(Locale.ROOT),
          Math.min(t.bytesDone(), size), size, progress, r <= 0 ? "" : bytes((long) r) + "/s", eta, t.message(), t.requestedBy());
    }
  }

  static List<Row> rows(Images.Matrix m) {
    List<Row> out = new ArrayList<>();
    for (Images.Row r : m.rows()) {
      List<Cell> cells = new ArrayList<>();
      for (Images.Column c : m.clouds()) {
        cells.add(new Cell(r.on().stream().filter(i -> i.cloud().equals(c.cloud())).toList()));
      }
      out.add(new Row(r.image(), cells));
    }
    return out;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String duration(@Nullable Duration d) {
    if (d == null) {
      return "";
    }
    long s = d.toSeconds();
    return s >= 3600 ? s / 3600 + " h " + s % 3600 / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
  }
}
