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
package org.csv2.plugin.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.model.KeyPair;
import org.jspecify.annotations.Nullable;
import org.openstack4j.api.Builders;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.compute.Keypair;
import org.openstack4j.model.image.v2.ContainerFormat;
import org.openstack4j.model.image.v2.DiskFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image and key-pair verbs of the OpenStack driver: Glance v2 for images, Nova for key pairs.
 *
 * <p>Images are created, read and deleted through OpenStack4j. Their bytes are not: OpenStack4j's
 * HTTP connector reads a request body stream whole into memory before sending it, so the bytes go
 * through the JDK's HTTP client instead, with the session's token: {@code PUT
 * /v2/images/{id}/file} streamed in chunks, {@code GET /v2/images/{id}/file} with a {@code Range}
 * to resume, and the interoperable import calls OpenStack4j does not have ({@code GET
 * /v2/info/import}, {@code POST /v2/images/{id}/import} with {@code web-download}).
 *
 * <p>An upload counts and hashes the bytes as they leave. At the end of the stream, before the
 * last read returns, a wrong size or SHA-256 breaks the request, so Glance never activates a wrong
 * image; every failure deletes the image this call created (it is {@code queued} or {@code
 * saving}). After the upload Glance's own size and MD5 {@code checksum} are compared too.
 *
 * <p>Thread safety: safe; the session is, and the HTTP client is.
 */
final class GlanceImages {
  private static final Logger LOG = LoggerFactory.getLogger(GlanceImages.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 2000;

  private final OpenStackSession session;
  private final OpenStackErrors errors;
  private final NovaDelete deletes;
  private final String cloud;
  private final HttpClient http;
  private final Duration readTimeout;

  GlanceImages(OpenStackSession session, OpenStackErrors errors, String cloud, Duration connectTimeout, Duration readTimeout) {
    this.session = session;
    this.errors = errors;
    this.deletes = new NovaDelete(session, errors);
    this.cloud = cloud;
    this.readTimeout = readTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Image upload(ImageUpload spec, InputStream data) {
    String action = "uploading image " + spec.name();
    String id = create(spec, action);
    try {
      OpenStackSession.Endpoint glance = glance(action);
      Checked checked = new Checked(data, spec);
      HttpRequest put =
          HttpRequest.newBuilder(URI.create(glance.url() + "/images/" + id + "/file"))
              .header("X-Auth-Token", glance.token())
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> checked))
              .build();
      HttpResponse<String> r;
      try {
        r = http.send(put, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (checked.mismatch != null) {
          throw new CloudException(Reason.INVALID_REQUEST, errors.message(action, checked.mismatch));
        }
        throw new CloudException(
            Reason.UNAVAILABLE,
            errors.message(action, "the transfer broke after " + checked.count + " of " + spec.size() + " bytes: " + e),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "interrupted"), e);
      }
      if (checked.mismatch != null) {
        throw new CloudException(Reason.INVALID_REQUEST, errors.message(action, checked.mismatch));
      }
      if (r.statusCode() / 100 != 2) {
        throw errors.byStatus(action, r.statusCode(), glanceMessage(r.body()), null);
      }
      org.openstack4j.model.image.v2.Image arrived = session.call(action, os -> os.imagesV2().get(id));
      if (arrived == null) {
        throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "the image " + id + " vanished after its upload"));
      }
      Long size = arrived.getSize();
      String md5 = arrived.getChecksum();
      if (size != null && size != spec.size()) {
        throw new CloudException(
            Reason.INVALID_REQUEST, errors.message(action, "Glance stored " + size + " bytes, " + spec.size() + " were sent"));
      }
      if (md5 != null && !md5.equalsIgnoreCase(checked.md5())) {
        throw new CloudException(
            Reason.INVALID_REQUEST, errors.message(action, "Glance's checksum " + md5 + " is not the MD5 of the bytes sent, " + checked.md5()));
      }
      LOG.info("cloud {}: image {} ({}) uploaded, {} bytes, sha256 {}", cloud, spec.name(), id, spec.size(), spec.sha256());
      return new Image(id, spec.name());
    } catch (RuntimeException e) {
      deleteQuietly(id, action);
      throw e;
    }
  }

  Image importFromUrl(ImageUpload spec, URI source) {
    String action = "importing image " + spec.name() + " from " + abbreviate(source.toString());
    String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CloudException(Reason.INVALID_REQUEST, errors.message(action, "only http and https URLs can be imported"));
    }
    OpenStackSession.Endpoint glance = glance(action);
    List<String> methods = importMethods(glance, action);
    if (!methods.contains("web-download")) {
      throw new CloudException(
          Reason.INVALID_REQUEST, errors.message(action, "the cloud does not offer web-download import (it offers " + methods + ")"));
    }
    String id = create(spec, action);
    try {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode method = body.putObject("method");
      method.put("name", "web-download");
      method.put("uri", source.toString());
      HttpResponse<String> r = send(
          HttpRequest.newBuilder(URI.create(glance.url() + "/images/" + id + "/import"))
              .header("X-Auth-Token", glance.token())
              .header("Content-Type", "application/json")
              .timeout(readTimeout)
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build(),
          action);
      if (r.statusCode() / 100 != 2) {
        throw errors.byStatus(action, r.statusCode(), glanceMessage(r.body()), null);
      }
      LOG.info("cloud {}: image {} ({}) importing from {}", cloud, spec.name(), id, abbreviate(source.toString()));
      return new Image(id, spec.name());
    } catch (RuntimeException e) {
      deleteQuietly(id, action);
      throw e;
    }
  }

  List<String> importMethods(OpenStackSession.Endpoint glance, String action) {
    HttpResponse<String> r = send(
        HttpRequest.newBuilder(URI.create(glance.url() + "/info/import"))
            .header("X-Auth-Token", glance.token())
            .timeout(readTimeout)
            .GET()
            .build(),
        action + " (reading /v2/info/import)");
    if (r.statusCode() == 404) {
      return List.of(); // a Glance without interoperable import
    }
    if (r.statusCode() / 100 != 2) {
      throw errors.byStatus(action, r.statusCode(), glanceMessage(r.body()), null);
    }
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode m : JSON.readTree(r.body()).path("import-methods").path("value")) {
        if (m.isTextual() && out.size() < 32) {
          out.add(abbreviate(m.asText()));
        }
      }
    } catch (IOException e) {
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "/v2/info/import is not JSON"), e);
    }
    return out;
  }

  InputStream download(String imageId, long offset) {
    String action = "downloading image " + imageId;
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }
    OpenStackSession.Endpoint glance = glance(action);
    HttpRequest.Builder get =
        HttpRequest.newBuilder(URI.create(glance.url() + "/images/" + encodeId(imageId) + "/file"))
            .header("X-Auth-Token", glance.token())
            .GET();
    if (offset > 0) {
      get.header("Range", "bytes=" + offset + "-");
    }
    HttpResponse<InputStream> r;
    try {
      r = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "cannot reach Glance: " + e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "interrupted"), e);
    }
    int status = r.statusCode();
    if (status / 100 != 2) {
      String said;
      try (InputStream in = r.body()) {
        said = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
      } catch (IOException e) {
        said = "";
      }
      throw errors.byStatus(action, status, glanceMessage(said), null);
    }
    InputStream body = r.body();
    if (offset > 0 && status == 200) {
      try {
        body.skipNBytes(offset); // a Glance (or proxy) that ignores Range sends everything
      } catch (IOException e) {
        throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "skipping to byte " + offset + ": " + e), e);
      }
    }
    return body;
  }

  void delete(String imageId) {
    String action = "deleting image " + imageId;
    // the status is read by NovaDelete: OpenStack4j's delete fails on an HTML body sent as JSON
    NovaDelete.Refusal r = deletes.delete(action, NovaDelete.Service.IMAGE, "/images/%s", imageId);
    if (r != null) {
      throw r.error();
    }
    LOG.info("cloud {}: image {} deleted (or already gone)", cloud, imageId);
  }

  KeyPair importKeyPair(String name, String publicKey) {
    String action = "importing key pair " + abbreviate(name);
    Keypair k;
    try {
      k = session.call(action, os -> os.compute().keypairs().create(name, publicKey));
    } catch (CloudException e) {
      if (e.getMessage() != null && e.getMessage().contains("HTTP 409")) {
        throw new CloudException(Reason.INVALID_REQUEST, errors.message(action, "a key pair of that name exists"), e);
      }
      throw e;
    }
    if (k == null || k.getName() == null) {
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "Nova returned no key pair"));
    }
    return new KeyPair(k.getName(), k.getFingerprint() == null ? "" : k.getFingerprint());
  }

  void deleteKeyPair(String name) {
    String action = "deleting key pair " + abbreviate(name);
    NovaDelete.Refusal r = deletes.delete(action, NovaDelete.Service.COMPUTE, "/os-keypairs/%s", name);
    if (r != null) {
      throw r.error();
    }
  }

  private String create(ImageUpload spec, String action) {
    org.openstack4j.model.image.v2.Image created =
        session.call(
            action,
            os -> os.imagesV2().create(
                Builders.imageV2()
                    .name(spec.name())
                    .diskFormat(DiskFormat.value(spec.diskFormat()))
                    .containerFormat(ContainerFormat.value(spec.containerFormat()))
                    .visibility(
                        spec.visibility().equals("public")
                            ? org.openstack4j.model.image.v2.Image.ImageVisibility.PUBLIC
                            : org.openstack4j.model.image.v2.Image.ImageVisibility.PRIVATE)
                    .tags(new ArrayList<>(spec.tags()))
                    .build()));
    if (created == null || created.getId() == null) {
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "Glance returned no image"));
    }
    String id = created.getId();
    if (spec.visibility().equals("shared") || spec.visibility().equals("community")) {
      // OpenStack4j's visibility enum knows only public and private: set the others by JSON patch
      try {
        OpenStackSession.Endpoint glance = glance(action);
        HttpResponse<String> r = send(
            HttpRequest.newBuilder(URI.create(glance.url() + "/images/" + id))
                .header("X-Auth-Token", glance.token())
                .header("Content-Type", "application/openstack-images-v2.1-json-patch")
                .timeout(readTimeout)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                    "[{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"" + spec.visibility() + "\"}]"))
                .build(),
            action);
        if (r.statusCode() / 100 != 2) {
          throw errors.byStatus(action + " (setting visibility " + spec.visibility() + ")", r.statusCode(), glanceMessage(r.body()), null);
        }
      } catch (RuntimeException e) {
        deleteQuietly(id, action);
        throw e;
      }
    }
    return id;
  }

  private void deleteQuietly(String id, String action) {
    try {
      delete(id);
    } catch (RuntimeException e) {
      LOG.warn("cloud {}: {} failed and its image {} could not be deleted; delete it by hand: {}", cloud, action, id, e.toString());
    }
  }

  private OpenStackSession.Endpoint glance(String action) {
    OpenStackSession.Endpoint e = session.endpoint(action, ServiceType.IMAGE);
    String url = e.url();
    return new OpenStackSession.Endpoint(url.endsWith("/v2") ? url : url + "/v2", e.token());
  }

  private HttpResponse<String> send(HttpRequest request, String action) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "cannot reach Glance: " + e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(Reason.UNAVAILABLE, errors.message(action, "interrupted"), e);
    }
  }

  private static @Nullable String glanceMessage(@Nullable String body) {
    if (body == null || body.isEmpty()) {
      return null;
    }
    String b = body.length() > MAX_ERROR_BODY ? body.substring(0, MAX_ERROR_BODY) : body;
    try {
      JsonNode n = JSON.readTree(b);
      for (String f : List.of("message", "title")) {
        if (n.path(f).isTextual()) {
          return n.path(f).asText();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: Glance answers some errors in HTML or plain text
    }
    return b;
  }

  private static String encodeId(String id) {
    return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /**
   * The bytes of an upload, counted and hashed as they are read. At the end of the stream a wrong
   * count or SHA-256 throws instead of reporting the end, which breaks the request before Glance
   * can activate the image.
   */
  private static final class Checked extends FilterInputStream {
    private final ImageUpload spec;
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest md5 = digest("MD5");
    volatile long count;
    volatile @Nullable String mismatch;
    private @Nullable String md5Hex;

    Checked(InputStream in, ImageUpload spec) {
      super(in);
      this.spec = spec;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        sha256.update(b, off, n);
        md5.update(b, off, n);
        count += n;
        if (count > spec.size()) {
          mismatch = "more than the " + spec.size() + " bytes announced were sent";
          throw new IOException(mismatch);
        }
      } else if (n < 0 && md5Hex == null) {
        String sha = HexFormat.of().formatHex(sha256.digest());
        md5Hex = HexFormat.of().formatHex(md5.digest());
        if (count != spec.size() || !sha.equals(spec.sha256())) {
          mismatch = "the bytes sent (" + count + ", SHA-256 " + sha + ") are not the " + spec.size()
              + " bytes with SHA-256 " + spec.sha256() + " announced";
          throw new IOException(mismatch);
        }
      }
      return n;
    }

    @Override
    public void close() {
      // the caller owns the stream
    }

    String md5() {
      return md5Hex == null ? "" : md5Hex;
    }

    private static MessageDigest digest(String algorithm) {
      try {
        return MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
