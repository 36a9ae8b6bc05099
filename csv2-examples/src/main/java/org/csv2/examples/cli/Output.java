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
package org.csv2.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a command prints: a table fitted to the terminal's width (the default), the server's JSON
 * ({@code --json}) or CSV ({@code --csv}). Cells are shown on one line with control characters
 * replaced, so that nothing a job or a cloud names can move the cursor or forge a line.
 */
public final class Output {
  /** How to print. */
  public enum Format {
    /** Columns fitted to the width. */
    TABLE,
    /** The server's JSON, pretty-printed. */
    JSON,
    /** Comma-separated values with a header line. */
    CSV
  }

  private final PrintWriter out;
  private final Format format;
  private final int width;

  /**
   * An output.
   *
   * @param out where to print
   * @param format how
   * @param width the table's width in characters, 0 for no limit
   */
  public Output(PrintWriter out, Format format, int width) {
    this.out = out;
    this.format = format;
    this.width = width;
  }

  /**
   * The format asked for.
   *
   * @return the format
   */
  public Format format() {
    return format;
  }

  /**
   * Prints rows: a table or CSV of the columns, or the rows' JSON.
   *
   * @param rows a JSON array (anything else is printed as one row)
   * @param columns the columns of the table and CSV
   */
  public void rows(JsonNode rows, Column... columns) {
    List<JsonNode> list = new ArrayList<>();
    if (rows.isArray()) {
      rows.forEach(list::add);
    } else if (!rows.isMissingNode()) {
      list.add(rows);
    }
    switch (format) {
      case JSON -> json(rows);
      case CSV -> csv(list, columns);
      case TABLE -> table(list, columns);
    }
    out.flush();
  }

  /**
   * Prints the answer of a change: its JSON with {@code --json}, else the sentence (also for CSV,
   * which has no rows to show).
   *
   * @param answer the server's answer
   * @param sentence what happened, for people
   */
  public void done(JsonNode answer, String sentence) {
    if (format == Format.JSON) {
      json(answer);
    } else {
      out.println(clean(sentence));
    }
    out.flush();
  }

  /**
   * A heading before a table (table format only; JSON and CSV stay parseable).
   *
   * @param heading the heading
   */
  public void heading(String heading) {
    if (format == Format.TABLE) {
      out.println(clean(heading));
    }
  }

  /** A blank line between two tables (table and CSV). */
  public void gap() {
    if (format != Format.JSON) {
      out.println();
    }
  }

  /**
   * Prints JSON, pretty.
   *
   * @param n the JSON
   */
  public void json(JsonNode n) {
    try {
      out.println(Csv2Client.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    out.flush();
  }

  private void csv(List<JsonNode> rows, Column[] columns) {
    List<String> header = new ArrayList<>();
    for (Column c : columns) {
      header.add(csvField(c.header()));
    }
    out.println(String.join(",", header));
    for (JsonNode r : rows) {
      List<String> cells = new ArrayList<>();
      for (Column c : columns) {
        cells.add(csvField(c.cell().apply(r)));
      }
      out.println(String.join(",", cells));
    }
  }

  /** A CSV field, quoted when needed, and never starting a formula in a spreadsheet. */
  static String csvField(@Nullable String v) {
    String t = v == null ? "" : v;
    if (!t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0 && !t.matches("-?[0-9.]+")) {
      t = "'" + t;
    }
    if (t.contains(",") || t.contains("\"") || t.contains("\n") || t.contains("\r") || t.startsWith("'")) {
      return "\"" + t.replace("\"", "\"\"") + "\"";
    }
    return t;
  }

  private void table(List<JsonNode> rows, Column[] columns) {
    if (rows.isEmpty()) {
      out.println("(none)");
      return;
    }
    int n = columns.length;
    String[][] cells = new String[rows.size()][n];
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = columns[i].header().length();
    }
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < n; i++) {
        cells[r][i] = clean(columns[i].cell().apply(rows.get(r)));
        w[i] = Math.max(w[i], cells[r][i].length());
      }
    }
    fit(w, columns);
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < n; i++) {
      cell(h, columns[i].header(), w[i], columns[i].numeric(), i == n - 1);
    }
    out.println(h.toString().stripTrailing());
    for (String[] row : cells) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        cell(b, row[i], w[i], columns[i].numeric(), i == n - 1);
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /**
   * Narrows the widest text columns until the table fits the width: never a number, never a text
   * column below its header or 8 characters. A table that cannot fit stays wider.
   */
  private void fit(int[] w, Column[] columns) {
    if (width <= 0) {
      return;
    }
    while (true) {
      int total = 2 * (w.length - 1);
      for (int x : w) {
        total += x;
      }
      if (total <= width) {
        return;
      }
      int widest = -1;
      for (int i = 0; i < w.length; i++) {
        int min = Math.max(8, columns[i].header().length());
        if (!columns[i].numeric() && w[i] > min && (widest < 0 || w[i] > w[widest])) {
          widest = i;
        }
      }
      if (widest < 0) {
        return;
      }
      w[widest]--;
    }
  }

  private static void cell(StringBuilder b, String text, int width, boolean right, boolean last) {
    String t = text.length() > width ? text.substring(0, width - 1) + "~" : text;
    String pad = " ".repeat(width - t.length());
    b.append(right ? pad + t : t + pad);
    if (!last) {
      b.append("  ");
    }
  }

  /** One line, with control characters (escape sequences, carriage returns) made visible. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')) {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
