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
package org.csv2.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The quickstart's report (issue 14): three plots over simulated time (idle jobs, VMs by state,
 * cores by cloud) as PNG files drawn with Java2D, and one self-contained HTML page with the
 * summary table and the same plots inlined (data: URIs; no script, no CDN), in a directory.
 *
 * <p><b>Thread safety:</b> not thread-safe; one run fills it.
 */
final class QuickstartReport {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 360;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };

  /** One plot: named series of values sampled at the same times (hours of simulated time). */
  static final class Plot {
    final String title;
    final String unit;
    final Map<String, List<Double>> series = new LinkedHashMap<>();

    Plot(String title, String unit) {
      this.title = title;
      this.unit = unit;
    }

    void add(String name, int index, double value) {
      List<Double> s = series.computeIfAbsent(name, k -> new ArrayList<>());
      while (s.size() < index) {
        s.add(0.0); // a series that appears later was 0 before
      }
      s.add(value);
    }
  }

  private final List<Double> hours = new ArrayList<>();
  private final Plot idle = new Plot("Idle jobs", "jobs");
  private final Plot vms = new Plot("VMs by state", "VMs");
  private final Plot cores = new Plot("Cores by cloud", "cores");

  /**
   * Adds one sample.
   *
   * @param hour simulated hours since the start
   * @param idleJobs idle jobs
   * @param vmsByState VMs per state name (terminated left out by the caller)
   * @param coresByCloud cores in use per cloud
   */
  void sample(double hour, int idleJobs, Map<String, Integer> vmsByState, Map<String, Long> coresByCloud) {
    int i = hours.size();
    hours.add(hour);
    idle.add("idle", i, idleJobs);
    vmsByState.forEach((k, v) -> vms.add(k, i, v));
    coresByCloud.forEach((k, v) -> cores.add(k, i, v));
    for (Plot p : List.of(vms, cores)) {
      p.series.values().forEach(s -> {
        while (s.size() <= i) {
          s.add(0.0); // absent this time: 0
        }
      });
    }
  }

  /**
   * Writes {@code idle-jobs.png}, {@code vms-by-state.png}, {@code cores-by-cloud.png} and
   * {@code index.html} into the directory.
   *
   * @param dir the directory (created)
   * @param title the page's heading
   * @param summary the summary rows (figure, value)
   * @return the HTML page
   */
  Path write(Path dir, String title, List<String[]> summary) {
    try {
      Files.createDirectories(dir);
      StringBuilder html = new StringBuilder();
      html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
          .append("<style>body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}")
          .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}td.v{text-align:right}img{max-width:100%}</style>\n")
          .append("</head><body>\n<h1>").append(esc(title)).append("</h1>\n<table><tr><th>figure</th><th>value</th></tr>\n");
      for (String[] row : summary) {
        html.append("<tr><td>").append(esc(row[0])).append("</td><td class=\"v\">").append(esc(row[1])).append("</td></tr>\n");
      }
      html.append("</table>\n");
      for (Map.Entry<String, Plot> e : List.of(Map.entry("idle-jobs.png", idle), Map.entry("vms-by-state.png", vms), Map.entry("cores-by-cloud.png", cores))) {
        byte[] png = png(e.getValue());
        Files.write(dir.resolve(e.getKey()), png);
        html.append("<h2>").append(esc(e.getValue().title)).append("</h2>\n<img alt=\"").append(esc(e.getValue().title))
            .append(" over simulated time\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">\n");
      }
      html.append("<p>Simulated hours on the horizontal axes. The PNG files beside this page are the same plots.</p>\n</body></html>\n");
      Path page = dir.resolve("index.html");
      Files.writeString(page, html.toString());
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  /** Draws a plot as a PNG. */
  byte[] png(Plot p) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      int left = 70;
      int right = WIDTH - 170;
      int top = 40;
      int bottom = HEIGHT - 45;
      double maxX = hours.isEmpty() ? 1 : Math.max(hours.get(hours.size() - 1), 1e-9);
      double maxY = 1;
      for (List<Double> s : p.series.values()) {
        for (double v : s) {
          maxY = Math.max(maxY, v);
        }
      }
      maxY = niceCeiling(maxY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.setColor(Color.BLACK);
      g.drawString(p.title, left, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int t = 0; t <= 5; t++) {
        int y = bottom - (bottom - top) * t / 5;
        g.setColor(new Color(0xe6e6e6));
        g.drawLine(left, y, right, y);
        g.setColor(Color.DARK_GRAY);
        String label = fmt(maxY * t / 5);
        g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        int x = left + (right - left) * t / 5;
        String h = fmt(maxX * t / 5) + " h";
        g.drawString(h, x - g.getFontMetrics().stringWidth(h) / 2, bottom + 16);
      }
      g.drawString("simulated time", (left + right) / 2 - 35, bottom + 34);
      g.drawString(p.unit, 8, top - 8);
      g.setColor(Color.BLACK);
      g.drawLine(left, bottom, right, bottom);
      g.drawLine(left, top, left, bottom);
      int k = 0;
      for (Map.Entry<String, List<Double>> e : p.series.entrySet()) {
        Color c = PALETTE[k % PALETTE.length];
        List<Double> s = e.getValue();
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < s.size() && i < hours.size(); i++) {
          double x = left + (right - left) * hours.get(i) / maxX;
          double y = bottom - (bottom - top) * s.get(i) / maxY;
          if (i == 0) {
            line.moveTo(x, y);
          } else {
            line.lineTo(x, y);
          }
        }
        g.setColor(c);
        g.setStroke(new BasicStroke(1.8f));
        g.draw(line);
        g.fillRect(right + 15, top + 4 + k * 18, 12, 10);
        g.setColor(Color.BLACK);
        g.drawString(e.getKey(), right + 32, top + 13 + k * 18);
        k++;
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
