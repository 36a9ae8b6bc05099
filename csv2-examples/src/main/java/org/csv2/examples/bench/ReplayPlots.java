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
package org.csv2.examples.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.csv2.model.CloudName;
import org.csv2.model.VmState;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The replay's plots: for each policy one PNG of three charts (idle jobs, VMs by state, cores by
 * cloud over time), every policy's on the same axes.
 */
final class ReplayPlots {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 340;

  private ReplayPlots() {}

  /**
   * Writes {@code replay-<trace>-<policy>.png} for each result.
   *
   * @param dir the folder
   * @param trace the trace's short name
   * @param results the runs
   * @return the files written
   */
  static List<Path> write(Path dir, String trace, List<ReplayRun.Result> results) {
    double xMax = 0;
    double idleMax = 1;
    double vmMax = 1;
    double coreMax = 1;
    for (ReplayRun.Result r : results) {
      ReplayRun.Series s = r.series();
      xMax = Math.max(xMax, s.hours().isEmpty() ? 0 : s.hours().get(s.hours().size() - 1));
      idleMax = Math.max(idleMax, max(s.idleJobs()));
      for (List<Integer> l : s.vmsByState().values()) {
        vmMax = Math.max(vmMax, max(l));
      }
      int n = s.hours().size();
      for (int i = 0; i < n; i++) {
        int total = 0;
        for (List<Integer> l : s.coresByCloud().values()) {
          total += l.get(i);
        }
        coreMax = Math.max(coreMax, total);
      }
    }
    List<Path> files = new ArrayList<>();
    for (ReplayRun.Result r : results) {
      ReplayRun.Series s = r.series();
      double[] x = s.hours().stream().mapToDouble(Double::doubleValue).toArray();
      String title = trace + " replay, policy " + r.policy() + ": ";
      XYChart idle = chart(title + "idle jobs", "jobs", xMax, idleMax * 1.05);
      add(idle, "idle jobs", x, s.idleJobs());
      XYChart vms = chart(title + "VMs by state", "VMs", xMax, vmMax * 1.05);
      for (Map.Entry<VmState, List<Integer>> e : s.vmsByState().entrySet()) {
        add(vms, e.getKey().name(), x, e.getValue());
      }
      XYChart cores = chart(title + "cores by cloud (stacked)", "cores", xMax, coreMax * 1.05);
      List<Integer> running = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        running.add(0);
      }
      List<Map.Entry<String, List<Integer>>> layers = new ArrayList<>();
      for (Map.Entry<CloudName, List<Integer>> e : s.coresByCloud().entrySet()) {
        List<Integer> stacked = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
          stacked.add(running.get(i) + e.getValue().get(i));
        }
        running = stacked;
        layers.add(Map.entry(e.getKey().value(), stacked));
      }
      // stacked areas: the total first, so that each cloud's band shows above the ones below it
      for (int i = layers.size() - 1; i >= 0; i--) {
        add(cores, layers.get(i).getKey(), x, layers.get(i).getValue()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
      }
      Path file = dir.resolve("replay-" + trace + "-" + r.policy() + ".png");
      stack(file, List.of(idle, vms, cores));
      files.add(file);
    }
    return files;
  }

  private static XYChart chart(String title, String yTitle, double xMax, double yMax) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("hours").yAxisTitle(yTitle).build();
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setXAxisMax(Math.max(1, xMax));
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(yMax);
    c.getStyler().setMarkerSize(0);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setXAxisTickMarkSpacingHint(90);
    c.getStyler().setXAxisDecimalPattern("#0");
    return c;
  }

  private static XYSeries add(XYChart c, String name, double[] x, List<Integer> y) {
    double[] yy = y.stream().mapToDouble(Integer::doubleValue).toArray();
    if (x.length == 0) {
      x = new double[] {0};
      yy = new double[] {0};
    }
    XYSeries s = c.addSeries(name, x, yy);
    s.setMarker(SeriesMarkers.NONE);
    return s;
  }

  private static void stack(Path file, List<XYChart> charts) {
    BufferedImage out = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      for (int i = 0; i < charts.size(); i++) {
        g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * HEIGHT, null);
      }
    } finally {
      g.dispose();
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(out, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static int max(List<Integer> l) {
    int m = 0;
    for (int v : l) {
      m = Math.max(m, v);
    }
    return m;
  }
}
