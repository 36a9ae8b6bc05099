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
package org.csv2.plugin.htcondor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads what a VM's cloud-init would write to its HTCondor configuration directory: the {@code
 * write_files} entries under {@code /etc/condor/config.d/} of every {@code #cloud-config} document
 * in the user data, which may be a single document or a (nested) {@code multipart/mixed} MIME
 * message as the engine composes it.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class CloudInit {
  /** The directory whose files are the condor configuration. */
  static final String CONDOR_CONFIG_DIR = "/etc/condor/config.d/";

  private CloudInit() {}

  /** User data that cloud-init could not read either; the message says what and where. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /**
   * The condor configuration files the user data writes, by path, in the order HTCondor reads
   * them (by file name). A later document's file replaces an earlier one of the same path, as
   * cloud-init would.
   *
   * @param text the user data's text
   * @return path to content
   * @throws Malformed if a MIME part or a cloud-config document cannot be read
   */
  static Map<String, String> condorConfig(String text) throws Malformed {
    Map<String, String> files = new LinkedHashMap<>();
    for (String doc : cloudConfigs(text)) {
      files.putAll(writeFiles(doc));
    }
    Map<String, String> sorted = new TreeMap<>();
    files.forEach(
        (path, content) -> {
          if (path.startsWith(CONDOR_CONFIG_DIR) && path.length() > CONDOR_CONFIG_DIR.length()) {
            sorted.put(path, content);
          }
        });
    return sorted;
  }

  /**
   * The {@code #cloud-config} documents of user data, in order.
   *
   * @param text the user data's text
   * @return the documents' texts
   * @throws Malformed if a MIME message cannot be read
   */
  static List<String> cloudConfigs(String text) throws Malformed {
    List<String> out = new ArrayList<>();
    collect(text, "", out, 0);
    return out;
  }

  private static void collect(String text, String contentType, List<String> out, int depth) throws Malformed {
    if (depth > 5) {
      throw new Malformed("MIME parts nested more than 5 deep");
    }
    String body = text;
    String type = contentType;
    if (looksLikeMime(text)) {
      int split = headerEnd(text);
      Map<String, String> headers = headers(text.substring(0, split));
      body = text.substring(Math.min(text.length(), split)).replaceFirst("^\\r?\\n", "");
      type = headers.getOrDefault("content-type", "text/plain");
      String encoding = headers.getOrDefault("content-transfer-encoding", "").toLowerCase(Locale.ROOT).strip();
      if (encoding.equals("base64")) {
        try {
          body = new String(Base64.getMimeDecoder().decode(body.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new Malformed("a MIME part of type " + type + " is not valid base64");
        }
      }
    }
    String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (mediaType.startsWith("multipart/")) {
      String boundary = parameter(type, "boundary");
      if (boundary == null) {
        throw new Malformed("a " + mediaType + " part has no boundary parameter");
      }
      for (String part : parts(body, boundary)) {
        collect(part, "text/plain", out, depth + 1);
      }
      return;
    }
    if (mediaType.equals("text/cloud-config") || body.startsWith("#cloud-config")) {
      out.add(body);
    }
  }

  private static boolean looksLikeMime(String text) {
    String head = text.stripLeading().toLowerCase(Locale.ROOT);
    return head.startsWith("content-type:") || head.startsWith("mime-version:");
  }

  private static int headerEnd(String text) {
    int lf = text.indexOf("\n\n");
    int crlf = text.indexOf("\r\n\r\n");
    if (lf < 0 && crlf < 0) {
      return text.length();
    }
    if (lf < 0) {
      return crlf + 2;
    }
    if (crlf < 0) {
      return lf + 1;
    }
    return Math.min(lf + 1, crlf + 2);
  }

  private static Map<String, String> headers(String block) {
    Map<String, String> headers = new LinkedHashMap<>();
    String last = null;
    for (String line : block.split("\\r?\\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
        headers.put(last, headers.get(last) + " " + line.strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        headers.put(last, line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private static @Nullable String parameter(String header, String name) {
    for (String p : header.split(";")) {
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
        String v = p.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return null;
  }

  private static List<String> parts(String body, String boundary) throws Malformed {
    String delimiter = "--" + boundary;
    List<String> parts = new ArrayList<>();
    StringBuilder current = null;
    boolean closed = false;
    for (String line : body.split("\\n", -1)) {
      String bare = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (bare.equals(delimiter + "--")) {
        if (current != null) {
          parts.add(current.toString());
        }
        current = null;
        closed = true;
        break;
      }
      if (bare.equals(delimiter)) {
        if (current != null) {
          parts.add(current.toString());
        }
        current = new StringBuilder();
        continue;
      }
      if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (!closed) {
      throw new Malformed("the multipart message has no closing boundary " + delimiter + "--");
    }
    return parts;
  }

  private static Map<String, String> writeFiles(String document) throws Malformed {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(document);
    } catch (YAMLException e) {
      throw new Malformed("a cloud-config document is not valid YAML");
    }
    Map<String, String> files = new LinkedHashMap<>();
    if (!(root instanceof Map<?, ?> map)) {
      return files;
    }
    Object entries = map.get("write_files");
    if (entries == null) {
      return files;
    }
    if (!(entries instanceof List<?> list)) {
      throw new Malformed("write_files is not a list");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> entry)) {
        throw new Malformed("write_files[" + i + "] is not a mapping");
      }
      Object path = entry.get("path");
      if (!(path instanceof String p) || p.isBlank()) {
        throw new Malformed("write_files[" + i + "] has no path");
      }
      Object content = entry.get("content");
      String text = content == null ? "" : String.valueOf(content);
      Object encoding = entry.get("encoding");
      String decoded = decode(text, encoding == null ? "" : String.valueOf(encoding), p);
      boolean append = Boolean.TRUE.equals(entry.get("append"));
      files.merge(p, decoded, (old, add) -> append ? old + add : add);
    }
    return files;
  }

  private static String decode(String content, String encoding, String path) throws Malformed {
    String e = encoding.toLowerCase(Locale.ROOT).strip();
    try {
      switch (e) {
        case "", "text/plain":
          return content;
        case "b64", "base64":
          return new String(Base64.getMimeDecoder().decode(content.strip()), StandardCharsets.UTF_8);
        case "gz", "gzip":
          return gunzip(content.getBytes(StandardCharsets.ISO_8859_1));
        case "gz+b64", "gzip+base64", "gz+base64", "gzip+b64":
          return gunzip(Base64.getMimeDecoder().decode(content.strip()));
        default:
          throw new Malformed("write_files entry " + path + " has unknown encoding '" + encoding + "'");
      }
    } catch (IllegalArgumentException | IOException ex) {
      throw new Malformed("write_files entry " + path + " is not valid " + encoding);
    }
  }

  private static String gunzip(byte[] data) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
