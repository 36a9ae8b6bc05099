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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.KeyPair;
import org.csv2.model.Limits;
import org.csv2.model.Network;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.spi.BootBurst;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.OpportunisticMetadata;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.compute.AbsoluteLimit;
import org.openstack4j.model.compute.BDMDestType;
import org.openstack4j.model.compute.BDMSourceType;
import org.openstack4j.model.compute.Fault;
import org.openstack4j.model.compute.HostAggregate;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.ServerCreate;
import org.openstack4j.model.compute.builder.BlockDeviceMappingBuilder;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;
import org.openstack4j.model.identity.v3.Project;
import org.openstack4j.openstack.identity.v3.domain.KeystoneProject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenStack driver of one cloud: Nova for flavors, limits, key pairs and servers, Glance v2
 * for images, Neutron for networks.
 *
 * <p><b>Naming of multi-VM boots:</b> Nova's multi-create ({@code min_count}/{@code max_count})
 * names the servers itself and gives all of them the same metadata, so each server could only get
 * its csv2 name and {@link Csv2Tags#VM_NAME} by a rename afterwards; a crash or failure between the
 * two calls would leave servers that csv2 cannot tell apart. The driver therefore boots one server
 * per name, each POST carrying its final name and metadata, so that every server is fully
 * identifiable from the moment Nova accepts it. If a later POST of a batch fails, the servers
 * already accepted are returned (the engine sees the missing names as not booted); if the first
 * fails, the error is thrown.
 *
 * <p><b>Bursts:</b> the first POST of a request goes alone (a refused quota, image or credential
 * fails the request at once); the others go {@code boot-concurrency} at a time, on a small pool of
 * this driver's own. Once one fails (quota, rate limit), no further POST is sent and the servers
 * accepted are returned.
 *
 * <p>Thread safety: the engine calls one verb at a time, from any thread; caches are volatile
 * immutable snapshots.
 */
final class OpenStackCloudDriver implements CloudDriver {
  private static final Logger LOG = LoggerFactory.getLogger(OpenStackCloudDriver.class);

  /** Nova's limit on metadata keys and values. */
  static final int MAX_METADATA_LENGTH = 255;

  /** Page size for server and image lists. */
  static final int PAGE = 500;

  /** How long flavor extra specs are reused before they are read again. */
  static final Duration EXTRA_SPECS_TTL = Duration.ofMinutes(10);

  private static final int MAX_PAGES = 1000;

  private final OpenStackConfig config;
  private final PluginContext context;
  private final OpenStackSession session;
  private final OpenStackErrors errors;
  private final NovaDelete deletes;
  private final String cloud;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final BootBurst.Pool bootPool;
  private final GlanceImages glance;
  private volatile Map<String, NovaFlavor> flavorsById = Map.of();
  private volatile Map<String, SpecsEntry> extraSpecs = Map.of();

  /** A Nova flavor as csv2 sees it, with Nova's id. */
  private record NovaFlavor(String id, Flavor flavor) {}

  /** Extra specs and when they were read. */
  private record SpecsEntry(Map<String, String> specs, Instant readAt) {}

  OpenStackCloudDriver(OpenStackConfig config, PluginContext context, OpenStackSession session, OpenStackErrors errors) {
    this.config = config;
    this.context = context;
    this.session = session;
    this.errors = errors;
    this.deletes = new NovaDelete(session, errors);
    this.cloud = context.name();
    this.bootPool = new BootBurst.Pool(Objects.requireNonNullElse(config.bootConcurrency(), 1), cloud);
    this.glance =
        new GlanceImages(
            session,
            errors,
            cloud,
            Objects.requireNonNullElse(config.connectTimeout(), Duration.ofSeconds(10)),
            Objects.requireNonNullElse(config.readTimeout(), Duration.ofSeconds(60)));
  }

  @Override
  public List<Flavor> flavors() {
    return refreshFlavors().values().stream()
        .map(NovaFlavor::flavor)
        .sorted(Comparator.comparing(Flavor::name))
        .toList();
  }

  private Map<String, NovaFlavor> refreshFlavors() {
    open();
    Instant now = context.clock().instant();
    Map<String, SpecsEntry> knownSpecs = extraSpecs;
    Map<String, SpecsEntry> newSpecs = new HashMap<>();
    Map<String, NovaFlavor> byId =
        session.call(
            "listing flavors",
            os -> {
              Map<String, NovaFlavor> out = new LinkedHashMap<>();
              for (org.openstack4j.model.compute.Flavor f : listFlavors(os)) {
                if (f == null || blank(f.getId()) || blank(f.getName())) {
                  context.rejected(
                      "flavor " + (f == null || blank(f.getId()) ? "without id" : abbreviate(f.getId())),
                      "Nova lists it without id or name");
                  continue;
                }
                SpecsEntry specs = knownSpecs.get(f.getId());
                if (specs == null || specs.readAt().plus(EXTRA_SPECS_TTL).isBefore(now)) {
                  Map<String, String> read = os.compute().flavors().listExtraSpecs(f.getId());
                  specs = new SpecsEntry(read == null ? Map.of() : Map.copyOf(read), now);
                }
                newSpecs.put(f.getId(), specs);
                try {
                  out.put(f.getId(), new NovaFlavor(f.getId(), toFlavor(f, specs.specs())));
                } catch (RuntimeException e) {
                  // one flavor csv2 cannot read (a name no FlavorName holds, a value out of range)
                  // is left out, named; the others stay usable
                  context.rejected("flavor " + abbreviate(f.getId()) + " (" + abbreviate(f.getName()) + ")", describe(e));
                }
              }
              return out;
            });
    extraSpecs = Map.copyOf(newSpecs);
    flavorsById = Map.copyOf(byId);
    return byId;
  }

  /**
   * Nova's flavors with their details. When the detailed list cannot be read as a whole (one
   * flavor with a number out of range fails the client's parsing of the entire list), they are
   * read one by one from the plain list instead, and the ones that cannot be read are left out,
   * named: one bad flavor never makes the whole cloud unreachable.
   */
  private List<? extends org.openstack4j.model.compute.Flavor> listFlavors(OSClientV3 os) {
    try {
      return os.compute().flavors().list(true);
    } catch (RuntimeException e) {
      if (!unreadable(e)) {
        throw e;
      }
      LOG.warn("cloud {}: Nova's flavor list cannot be read as a whole ({}); reading each flavor", cloud, rootText(e));
    }
    List<org.openstack4j.model.compute.Flavor> out = new ArrayList<>();
    for (org.openstack4j.model.compute.Flavor plain : os.compute().flavors().list(false)) {
      if (plain == null || blank(plain.getId())) {
        continue;
      }
      try {
        org.openstack4j.model.compute.Flavor f = os.compute().flavors().get(plain.getId());
        if (f == null) {
          context.rejected("flavor " + abbreviate(plain.getId()), "listed, but Nova does not find it");
        } else {
          out.add(f);
        }
      } catch (RuntimeException e) {
        if (!unreadable(e)) {
          throw e;
        }
        context.rejected(
            "flavor " + abbreviate(plain.getId()) + (blank(plain.getName()) ? "" : " (" + abbreviate(plain.getName()) + ")"),
            "Nova's reply cannot be read: " + rootText(e));
      }
    }
    return out;
  }

  /** Whether a failure is a reply the client could not parse (as opposed to a failed call). */
  private static boolean unreadable(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        return true;
      }
    }
    return false;
  }

  private static String rootText(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() <= 160 ? m : m.substring(0, 160) + "...";
  }

  private static Flavor toFlavor(org.openstack4j.model.compute.Flavor f, Map<String, String> specs) {
    Resources resources =
        new Resources(
            Math.max(0, f.getVcpus()),
            Math.max(0, f.getRam()),
            Math.max(0, f.getDisk()) + (long) Math.max(0, f.getEphemeral()),
            Math.max(0, f.getSwap()),
            NovaMapping.gpus(specs));
    return new Flavor(FlavorName.of(f.getName()), resources, 0, !f.isDisabled(), specs);
  }

  @Override
  public List<Image> images() {
    open();
    return session.call(
        "listing images",
        os -> {
          List<Image> out = new ArrayList<>();
          for (org.openstack4j.model.image.v2.Image i : allImages(os, Map.of())) {
            if (i.getStatus() != null && i.getStatus() != org.openstack4j.model.image.v2.Image.ImageStatus.ACTIVE) {
              continue;
            }
            out.add(new Image(i.getId(), blank(i.getName()) ? i.getId() : i.getName()));
          }
          return out;
        });
  }

  private static List<org.openstack4j.model.image.v2.Image> allImages(OSClientV3 os, Map<String, String> filter) {
    List<org.openstack4j.model.image.v2.Image> out = new ArrayList<>();
    String marker = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, String> params = new HashMap<>(filter);
      params.put("limit", Integer.toString(PAGE));
      if (marker != null) {
        params.put("marker", marker);
      }
      List<? extends org.openstack4j.model.image.v2.Image> got = os.imagesV2().list(params);
      if (got == null || got.isEmpty()) {
        break;
      }
      got.stream().filter(i -> i != null && !blank(i.getId())).forEach(out::add);
      marker = got.get(got.size() - 1).getId();
      if (got.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  @Override
  public CloudCapacity capacity() {
    open();
    return session.call(
        "reading the compute limits",
        os -> {
          org.openstack4j.model.compute.Limits limits = os.compute().quotaSets().limits();
          AbsoluteLimit a = limits == null ? null : limits.getAbsolute();
          if (a == null) {
            throw new CloudException(
                Reason.UNAVAILABLE, errors.message("reading the compute limits", "Nova sent no absolute limits"));
          }
          return new CloudCapacity(
              new Limits(
                  quota("maxTotalCores", a.getMaxTotalCores()),
                  quota("maxTotalRAMSize", a.getMaxTotalRAMSize()),
                  quota("maxTotalInstances", a.getMaxTotalInstances())),
              new Limits(
                  usage("totalCoresUsed", a.getTotalCoresUsed()),
                  usage("totalRAMUsed", a.getTotalRAMUsed()),
                  usage("totalInstancesUsed", a.getTotalInstancesUsed())));
        });
  }

  /**
   * A quota from Nova's absolute limits: -1 is Nova's "unlimited"; any other negative value is no
   * quota at all. Taken as 0 (nothing boots against it: a broken reply must never widen the room
   * to unlimited, which is what {@link Limits} makes of a negative number), and reported as a
   * rejected record naming the cloud and the field.
   */
  private int quota(String field, int value) {
    if (value >= Limits.UNLIMITED) {
      return value;
    }
    context.rejected(
        "compute limits of cloud " + cloud,
        field + " " + value + " is not a quota (-1 means unlimited): taken as 0, no boots there until Nova reports one");
    return 0;
  }

  /** A usage figure from Nova's absolute limits: a negative one is reported and taken as 0. */
  private int usage(String field, int value) {
    if (value >= 0) {
      return value;
    }
    context.rejected("compute limits of cloud " + cloud, field + " " + value + " is not a usage: taken as 0");
    return 0;
  }

  /** What every VM of a request shares, resolved once. */
  private record Prepared(
      NovaFlavor flavor,
      String imageId,
      String imageRef,
      @Nullable String networkId,
      @Nullable String keyName,
      List<String> securityGroups,
      String action) {}

  private Prepared prepare(BootRequest request) {
    String action = "booting " + request.count() + " VM(s) of flavor " + request.flavor() + " for group " + request.group();
    NovaFlavor flavor = resolveFlavor(request.flavor(), action);
    String imageRef = !request.image().isBlank() ? request.image() : config.image();
    if (imageRef == null || imageRef.isBlank()) {
      throw new CloudException(
          Reason.INVALID_REQUEST,
          errors.message(action, "no image: the request names none and the cloud's config sets no image"));
    }
    String imageId = resolveImage(imageRef, action);
    String networkRef = request.vm().network() != null ? request.vm().network() : config.network();
    String networkId = networkRef == null ? null : resolveNetwork(networkRef, action);
    String keyName = request.vm().keyName() != null ? request.vm().keyName() : config.keyName();
    List<String> securityGroups =
        request.vm().securityGroups() != null ? request.vm().securityGroups() : config.securityGroups();
    return new Prepared(flavor, imageId, imageRef, networkId, keyName, securityGroups, action);
  }

  @Override
  public List<Instance> boot(BootRequest request) {
    return bootEach(List.of(request));
  }

  /**
   * One {@code POST /servers} per VM of all the requests, {@code boot-concurrency} at a time after
   * the first ({@link BootBurst}); each request's flavor, image and network are resolved once, when
   * its first VM goes.
   */
  @Override
  public List<Instance> bootEach(List<BootRequest> requests) {
    open();
    // requests of one boot differ in names and user data only: resolve each flavor, image and
    // network once
    Map<List<Object>, Prepared> prepared = new HashMap<>();
    java.util.function.BiFunction<BootRequest, VmId, Instance> one = (r, name) -> {
      List<Object> key = List.of(r.flavor(), r.image(), r.vm());
      Prepared p;
      synchronized (prepared) {
        p = prepared.get(key);
        if (p == null) {
          p = prepare(r);
          prepared.put(key, p);
        }
      }
      return bootOne(name, p.flavor(), p.imageId(), p.imageRef(), p.networkId(), p.keyName(), p.securityGroups(), r, p.action());
    };
    return BootBurst.runEach(requests, bootPool.get(), one, warning -> LOG.warn("cloud {}: {}", cloud, warning));
  }

  private Instance bootOne(
      VmId name,
      NovaFlavor flavor,
      String imageId,
      String imageRef,
      @Nullable String networkId,
      @Nullable String keyName,
      List<String> securityGroups,
      BootRequest request,
      String action) {
    Map<String, String> metadata = metadata(request, name, action);
    ServerCreate create =
        serverCreate(name, flavor, imageId, networkId, keyName, securityGroups, request, metadata);
    String one = "booting VM " + name + " (flavor " + request.flavor() + ", image " + imageRef + ")";
    Server server = session.call(one, os -> os.compute().servers().boot(create));
    if (server == null || blank(server.getId())) {
      throw new CloudException(
          Reason.UNAVAILABLE, errors.message(one, "Nova accepted no server (HTTP 404 or an empty reply)"));
    }
    LOG.info("cloud {}: booted VM {} as server {}", cloud, name, server.getId());
    return new Instance(
        InstanceId.of(server.getId()), name, flavor.flavor().name(), InstanceState.PENDING, "", metadata, null);
  }

  /** How long the application credential's expiry is kept before Keystone is asked again. */
  static final Duration CREDENTIAL_TTL = Duration.ofHours(1);

  private volatile @Nullable CredentialExpiry credentialExpiry;

  private record CredentialExpiry(Optional<Instant> at, Instant readAt) {}

  /**
   * An application credential's {@code expires_at}, read from Keystone ({@code GET
   * /v3/users/{user}/application_credentials/{id}}, or {@code ?name=} when configured by name) at
   * most once an hour. A password does not expire: empty. A reply Keystone's policy refuses (403)
   * or that names no such credential is empty too, with a warning.
   */
  @Override
  public Optional<Instant> credentialsExpireAt() {
    open();
    if (config.authMethod() != OpenStackConfig.AuthMethod.APPLICATION_CREDENTIAL) {
      return Optional.empty();
    }
    Instant now = context.clock().instant();
    CredentialExpiry cached = credentialExpiry;
    if (cached != null && now.isBefore(cached.readAt().plus(CREDENTIAL_TTL))) {
      return cached.at();
    }
    Optional<Instant> at = session.call("reading the application credential's expiry", this::readCredentialExpiry);
    credentialExpiry = new CredentialExpiry(at, now);
    return at;
  }

  private Optional<Instant> readCredentialExpiry(OSClientV3 os) {
    org.openstack4j.model.identity.v3.Token token = os.getToken();
    if (token == null || token.getUser() == null || token.getUser().getId() == null) {
      LOG.warn("cloud {}: the token names no user; the application credential's expiry is unknown", cloud);
      return Optional.empty();
    }
    String base = Objects.requireNonNull(config.authUrl()).replaceAll("/+$", "");
    String user = java.net.URLEncoder.encode(token.getUser().getId(), java.nio.charset.StandardCharsets.UTF_8);
    String id = config.applicationCredentialId();
    String uri =
        id != null
            ? base + "/users/" + user + "/application_credentials/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
            : base + "/users/" + user + "/application_credentials?name="
                + java.net.URLEncoder.encode(Objects.requireNonNull(config.applicationCredentialName()), java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> reply;
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
      reply = http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
              .timeout(config.readTimeout())
              .header("X-Auth-Token", token.getId())
              .header("Accept", "application/json")
              .GET()
              .build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": Keystone did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": interrupted while reading the application credential");
    }
    if (reply.statusCode() == 403 || reply.statusCode() == 404) {
      LOG.warn("cloud {}: the application credential may not be read (HTTP {}); its expiry is unknown", cloud, reply.statusCode());
      return Optional.empty();
    }
    if (reply.statusCode() == 401) {
      session.forget();
      throw new CloudException(CloudException.Reason.AUTHENTICATION, "cloud " + cloud + ": Keystone refused the token (HTTP 401)");
    }
    if (reply.statusCode() / 100 != 2) {
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": Keystone answered HTTP " + reply.statusCode());
    }
    return parseCredentialExpiry(reply.body(), id != null, cloud);
  }

  /**
   * The {@code expires_at} of a Keystone application-credential reply: a UTC time without zone
   * ({@code 2027-01-01T00:00:00.000000}, possibly with {@code Z}), or null for never.
   */
  static Optional<Instant> parseCredentialExpiry(String body, boolean byId, String cloud) {
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": Keystone's application credential reply is not JSON");
    }
    com.fasterxml.jackson.databind.JsonNode cred =
        byId ? root.path("application_credential") : root.path("application_credentials").path(0);
    if (cred.isMissingNode()) {
      LOG.warn("cloud {}: Keystone lists no such application credential; its expiry is unknown", cloud);
      return Optional.empty();
    }
    com.fasterxml.jackson.databind.JsonNode at = cred.path("expires_at");
    if (at.isNull() || at.isMissingNode()) {
      return Optional.empty();
    }
    String text = at.asText().strip();
    try {
      if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
      }
      return Optional.of(java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC));
    } catch (java.time.format.DateTimeParseException e) {
      LOG.warn("cloud {}: the application credential's expires_at '{}' is not a time; its expiry is unknown", cloud,
          text.length() > 40 ? text.substring(0, 40) : text);
      return Optional.empty();
    }
  }

  @Override
  public OpportunisticPolicy opportunisticPolicy() {
    open();
    List<String> sources = Objects.requireNonNullElse(config.opportunisticMetadata(), List.of());
    if (sources.isEmpty()) {
      return OpportunisticPolicy.NONE;
    }
    return session.call(
        "reading the administrators' opportunistic policy",
        os -> {
          List<OpportunisticPolicy> found = new ArrayList<>();
          List<String> notes = new ArrayList<>();
          org.openstack4j.model.identity.v3.Token token = os.getToken();
          Project scope = token == null ? null : token.getProject();
          String projectId = scope == null ? null : scope.getId();
          String projectName = scope == null || blank(scope.getName()) ? projectId : scope.getName();
          if (sources.contains(OpenStackConfig.SOURCE_PROJECT)) {
            String where = "properties of project " + projectName;
            if (projectId == null) {
              notes.add("cloud " + cloud + ": the token names no project; its properties cannot be read");
            } else {
              try {
                Project p = os.identity().projects().get(projectId);
                if (p instanceof KeystoneProject kp) {
                  found.add(OpportunisticMetadata.parse(nonNullValues(kp.getExtra()), where));
                } else {
                  notes.add("cloud " + cloud + ": " + where + " not found (404): no opportunistic policy from it");
                }
              } catch (ResponseException e) {
                if (e.getStatus() != 403) {
                  throw e;
                }
                notes.add("cloud " + cloud + ": " + where + " may not be read (HTTP " + e.getStatus()
                    + "): no opportunistic policy from it; Keystone's policy must let the project read itself");
              }
            }
          }
          if (sources.contains(OpenStackConfig.SOURCE_AGGREGATES)) {
            try {
              for (HostAggregate a : Objects.requireNonNullElse(os.compute().hostAggregates().list(), List.<HostAggregate>of())) {
                Map<String, String> md = a == null || a.getMetadata() == null ? Map.of() : nonNullValues(a.getMetadata());
                if (!OpportunisticMetadata.present(md) || !forProject(md.get("filter_tenant_id"), projectId)) {
                  continue;
                }
                found.add(OpportunisticMetadata.parse(md, "metadata of host aggregate " + abbreviate(String.valueOf(a.getName()))));
              }
            } catch (ResponseException e) {
              if (e.getStatus() != 403) {
                throw e;
              }
              notes.add("cloud " + cloud + ": host aggregates may not be read (HTTP " + e.getStatus()
                  + "; Nova lets only administrators list them): no opportunistic policy from them");
            }
          }
          OpportunisticPolicy combined = OpportunisticMetadata.combine(found, "cloud " + cloud);
          if (notes.isEmpty()) {
            return combined;
          }
          List<String> all = new ArrayList<>(notes);
          all.addAll(combined.notes());
          return new OpportunisticPolicy(
              combined.governed(), combined.cores(), combined.instances(), combined.groups(), combined.reclaim(),
              combined.deadline(), combined.source(), all);
        });
  }

  /** Nova's {@code filter_tenant_id} (comma list) names the project, or is absent: the aggregate applies. */
  private static boolean forProject(@Nullable String filterTenantIds, @Nullable String projectId) {
    if (filterTenantIds == null || filterTenantIds.isBlank()) {
      return true;
    }
    for (String id : filterTenantIds.split(",")) {
      if (id.trim().equals(projectId)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> nonNullValues(@Nullable Map<String, String> m) {
    Map<String, String> out = new HashMap<>();
    if (m != null) {
      m.forEach((k, v) -> {
        if (k != null && v != null) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  private ServerCreate serverCreate(
      VmId name,
      NovaFlavor flavor,
      String imageId,
      @Nullable String networkId,
      @Nullable String keyName,
      List<String> securityGroups,
      BootRequest request,
      Map<String, String> metadata) {
    ServerCreateBuilder b = Builders.server().name(name.value()).flavor(flavor.id()).addMetadata(metadata);
    OpenStackConfig.BootVolume volume = config.bootVolume();
    if (volume == null) {
      b.image(imageId);
    } else {
      BlockDeviceMappingBuilder bdm =
          Builders.blockDeviceMapping()
              .uuid(imageId)
              .sourceType(BDMSourceType.IMAGE)
              .destinationType(BDMDestType.VOLUME)
              .bootIndex(0)
              .volumeSize(volume.sizeFor(flavor.flavor().resources().cores()))
              .deleteOnTermination(volume.deleteOnTerminationValue());
      if (volume.volumeType() != null) {
        bdm.volumeType(volume.volumeType());
      }
      b.blockDevice(bdm.build());
    }
    if (!request.userData().isEmpty()) {
      b.userData(request.userData().base64());
    }
    if (networkId != null) {
      b.networks(List.of(networkId));
    }
    if (keyName != null && !keyName.isBlank()) {
      b.keypairName(keyName);
    }
    for (String group : securityGroups) {
      b.addSecurityGroup(group);
    }
    return b.build();
  }

  private Map<String, String> metadata(BootRequest request, VmId name, String action) {
    Map<String, String> metadata = new TreeMap<>(request.tags());
    metadata.put(Csv2Tags.INSTANCE_ID, context.instanceId());
    metadata.put(Csv2Tags.GROUP, request.group().value());
    metadata.put(Csv2Tags.CLOUD, cloud);
    metadata.put(Csv2Tags.VM_NAME, name.value());
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > MAX_METADATA_LENGTH) {
        throw new CloudException(
            Reason.INVALID_REQUEST,
            errors.message(
                action,
                "tag key '" + abbreviate(e.getKey()) + "' must be 1-" + MAX_METADATA_LENGTH
                    + " characters (Nova's metadata limit)"));
      }
      if (e.getValue().length() > MAX_METADATA_LENGTH) {
        throw new CloudException(
            Reason.INVALID_REQUEST,
            errors.message(
                action,
                "the value of tag '" + e.getKey() + "' is " + e.getValue().length()
                    + " characters; Nova allows at most " + MAX_METADATA_LENGTH));
      }
    }
    return Map.copyOf(metadata);
  }

  private NovaFlavor resolveFlavor(FlavorName name, String action) {
    NovaFlavor found = findFlavor(flavorsById, name);
    if (found == null) {
      found = findFlavor(refreshFlavors(), name);
    }
    if (found == null) {
      throw new CloudException(
          Reason.INVALID_REQUEST,
          errors.message(
              action,
              "unknown flavor '" + name + "'; this project has: "
                  + flavorsById.values().stream().map(f -> f.flavor().name().value()).sorted().toList()));
    }
    return found;
  }

  private static @Nullable NovaFlavor findFlavor(Map<String, NovaFlavor> byId, FlavorName name) {
    for (NovaFlavor f : byId.values()) {
      if (f.flavor().name().equals(name)) {
        return f;
      }
    }
    NovaFlavor byIdMatch = byId.get(name.value());
    return byIdMatch;
  }

  private String resolveImage(String ref, String action) {
    return session.call(
        "looking up image " + ref,
        os -> {
          org.openstack4j.model.image.v2.Image byId = looksLikeUuid(ref) ? os.imagesV2().get(ref) : null;
          if (byId != null && !blank(byId.getId())) {
            return byId.getId();
          }
          List<org.openstack4j.model.image.v2.Image> named = allImages(os, Map.of("name", ref));
          org.openstack4j.model.image.v2.Image best =
              named.stream()
                  .filter(i -> ref.equals(i.getName()))
                  .filter(i -> i.getStatus() == null
                      || i.getStatus() == org.openstack4j.model.image.v2.Image.ImageStatus.ACTIVE)
                  .max(Comparator.comparing(i -> i.getCreatedAt() == null ? new Date(0) : i.getCreatedAt()))
                  .orElse(null);
          if (best == null) {
            throw new CloudException(
                Reason.INVALID_REQUEST,
                errors.message(action, "unknown image '" + ref + "': Glance has no active image with that name or id"));
          }
          if (named.size() > 1) {
            LOG.info("cloud {}: {} images are named '{}'; using the newest, {}", cloud, named.size(), ref, best.getId());
          }
          return best.getId();
        });
  }

  private String resolveNetwork(String ref, String action) {
    return session.call(
        "looking up network " + ref,
        os -> {
          List<? extends org.openstack4j.model.network.Network> all = os.networking().network().list();
          List<String> byName = new ArrayList<>();
          for (org.openstack4j.model.network.Network n : all == null ? List.<org.openstack4j.model.network.Network>of() : all) {
            if (n == null) {
              continue;
            }
            if (ref.equals(n.getId())) {
              return n.getId();
            }
            if (ref.equals(n.getName())) {
              byName.add(n.getId());
            }
          }
          if (byName.size() == 1) {
            return byName.get(0);
          }
          throw new CloudException(
              Reason.INVALID_REQUEST,
              errors.message(
                  action,
                  byName.isEmpty()
                      ? "unknown network '" + ref + "': Neutron has no network with that name or id"
                      : "network name '" + ref + "' is ambiguous (" + byName + "); use its id"));
        });
  }

  @Override
  public List<Instance> instances() {
    open();
    List<Server> servers =
        session.call(
            "listing servers",
            os -> {
              Map<String, Server> out = new LinkedHashMap<>();
              String marker = null;
              for (int page = 0; page < MAX_PAGES; page++) {
                Map<String, String> params = new HashMap<>();
                params.put("limit", Integer.toString(PAGE));
                if (marker != null) {
                  params.put("marker", marker);
                }
                List<? extends Server> got = os.compute().servers().list(params);
                if (got == null || got.isEmpty()) {
                  break;
                }
                int fresh = 0;
                for (Server s : got) {
                  if (s != null && !blank(s.getId()) && out.putIfAbsent(s.getId(), s) == null) {
                    fresh++;
                  }
                }
                if (fresh == 0) {
                  // a page of servers already listed: the cloud ignores the marker; paging on would
                  // list the same servers MAX_PAGES times
                  LOG.warn(
                      "cloud {}: Nova answered page {} of the server list with servers it listed already (marker {}"
                          + " ignored); the list ends there",
                      cloud, page + 1, marker);
                  break;
                }
                marker = got.get(got.size() - 1) == null ? null : got.get(got.size() - 1).getId();
                if (marker == null || got.size() < PAGE) {
                  break;
                }
              }
              return new ArrayList<>(out.values());
            });
    String me = context.instanceId();
    List<Instance> out = new ArrayList<>();
    boolean refreshed = false;
    for (Server s : servers) {
      Map<String, String> md = s.getMetadata() == null ? Map.of() : s.getMetadata();
      if (!me.equals(md.get(Csv2Tags.INSTANCE_ID)) || blank(s.getId())) {
        continue;
      }
      VmId name = vmName(s, md);
      if (name == null) {
        context.rejected("server " + abbreviate(s.getId()), "tagged as this engine's but has no valid VM name");
        continue;
      }
      String flavorId = s.getFlavorId();
      if (flavorId != null && !flavorsById.containsKey(flavorId) && !refreshed) {
        refreshed = true;
        try {
          refreshFlavors();
        } catch (CloudException e) {
          LOG.warn("cloud {}: cannot name flavor {} of server {}: {}", cloud, flavorId, s.getId(), e.getMessage());
        }
      }
      try {
        out.add(toInstance(s, name, md, flavorId));
      } catch (RuntimeException e) {
        // one server csv2 cannot read leaves out that server only, named
        context.rejected("server " + abbreviate(s.getId()) + " (" + name + ")", describe(e));
      }
    }
    return List.copyOf(out);
  }

  private Instance toInstance(Server s, VmId name, Map<String, String> md, @Nullable String flavorId) {
    NovaFlavor f = flavorId == null ? null : flavorsById.get(flavorId);
    FlavorName flavor =
        f != null ? f.flavor().name() : FlavorName.of(blank(flavorId) ? "unknown" : flavorId);
    InstanceState state = NovaMapping.state(s.getStatus(), s.getTaskState(), s.getVmState());
    String fault = "";
    if (state == InstanceState.ERROR) {
      Fault fl = s.getFault();
      fault = fl == null || blank(fl.getMessage()) ? "ERROR (Nova gave no fault message)" : fl.getMessage();
      if (OpenStackErrors.isCapacityFailure(fault)) {
        fault = "no capacity: " + fault;
      }
    }
    Date launched = s.getLaunchedAt();
    return new Instance(
        InstanceId.of(s.getId()), name, flavor, state, fault, md, launched == null ? null : launched.toInstant());
  }

  private static @Nullable VmId vmName(Server s, Map<String, String> md) {
    for (String candidate : new String[] {md.get(Csv2Tags.VM_NAME), s.getName()}) {
      if (candidate == null) {
        continue;
      }
      try {
        return VmId.of(candidate);
      } catch (IllegalArgumentException e) {
        LOG.debug("not a VM name: {}", candidate);
      }
    }
    return null;
  }

  @Override
  public void terminate(InstanceId id) {
    open();
    NovaDelete.Refusal refused = delete(id);
    if (refused != null) {
      throw refused.error();
    }
  }

  /**
   * Deletes a server: Nova's refusal, or null when it is deleted or already gone (404). The
   * status is read by {@link NovaDelete}, not by OpenStack4j, which calls 429 and 502-504 a success.
   */
  private NovaDelete.@Nullable Refusal delete(InstanceId id) {
    NovaDelete.Refusal r =
        deletes.delete("terminating server " + id, NovaDelete.Service.COMPUTE, "/servers/%s", id.value());
    if (r == null) {
      LOG.info("cloud {}: server {} deleted (or already gone)", cloud, id);
    }
    return r;
  }

  /**
   * One {@code DELETE /servers/{id}} per instance, {@code boot-concurrency} at a time ({@link
   * BootBurst#terminateEach}); Nova has no bulk delete.
   */
  @Override
  public Map<InstanceId, CloudException> terminateEach(List<InstanceId> ids) {
    open();
    // a 409 is this server's own conflict (locked, or in a task state Nova will not delete in):
    // it does not stop the other deletes, as a cloud that is down (5xx) or a rate limit (429) does
    Map<InstanceId, CloudException> conflicts = new java.util.concurrent.ConcurrentHashMap<>();
    Map<InstanceId, CloudException> failed = BootBurst.terminateEach(ids, bootPool.get(), id -> {
      NovaDelete.Refusal refused = delete(id);
      if (refused != null && refused.status() == 409) {
        conflicts.put(id, refused.error());
      } else if (refused != null) {
        throw refused.error();
      }
    });
    if (conflicts.isEmpty()) {
      return failed;
    }
    Map<InstanceId, CloudException> all = new LinkedHashMap<>();
    for (InstanceId id : ids) {
      CloudException why = failed.containsKey(id) ? failed.get(id) : conflicts.get(id);
      if (why != null) {
        all.put(id, why);
      }
    }
    return all;
  }

  @Override
  public List<KeyPair> keyPairs() {
    open();
    return session.call(
        "listing key pairs",
        os -> mapNonNull(os.compute().keypairs().list(), k -> blank(k.getName())
            ? null
            : new KeyPair(k.getName(), k.getFingerprint() == null ? "" : k.getFingerprint())));
  }

  @Override
  public List<Network> networks() {
    open();
    return session.call(
        "listing networks",
        os -> mapNonNull(os.networking().network().list(), n -> blank(n.getId())
            ? null
            : new Network(n.getId(), blank(n.getName()) ? n.getId() : n.getName())));
  }

  /** Upload, import from a URL (when Glance offers web-download), download, delete; key pairs. */
  private static final java.util.Set<org.csv2.spi.ImageCapability> IMAGE_CAPABILITIES =
      java.util.Collections.unmodifiableSet(
          java.util.EnumSet.complementOf(java.util.EnumSet.of(org.csv2.spi.ImageCapability.COPY)));

  @Override
  public java.util.Set<org.csv2.spi.ImageCapability> imageCapabilities() {
    return IMAGE_CAPABILITIES;
  }

  @Override
  public Image uploadImage(org.csv2.model.ImageUpload image, java.io.InputStream data) {
    open();
    return glance.upload(image, data);
  }

  @Override
  public Image importImage(org.csv2.model.ImageUpload image, java.net.URI source) {
    open();
    return glance.importFromUrl(image, source);
  }

  @Override
  public java.io.InputStream downloadImage(String imageId, long offset) {
    open();
    return glance.download(imageId, offset);
  }

  @Override
  public void deleteImage(String imageId) {
    open();
    glance.delete(imageId);
  }

  @Override
  public KeyPair importKeyPair(String name, String publicKey) {
    open();
    return glance.importKeyPair(name, publicKey);
  }

  @Override
  public void deleteKeyPair(String name) {
    open();
    glance.deleteKeyPair(name);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      bootPool.close();
      session.forget();
      LOG.debug("cloud {}: OpenStack driver closed", cloud);
    }
  }

  private void open() {
    if (closed.get()) {
      throw new IllegalStateException("cloud " + cloud + ": the OpenStack driver is closed");
    }
  }

  private static <A, B> List<B> mapNonNull(@Nullable List<? extends A> in, Function<A, @Nullable B> f) {
    List<B> out = new ArrayList<>();
    if (in != null) {
      for (A a : in) {
        if (a != null) {
          B b = f.apply(a);
          if (b != null) {
            out.add(b);
          }
        }
      }
    }
    return out;
  }

  private static boolean looksLikeUuid(String s) {
    return s.matches("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
  }

  private static String describe(RuntimeException e) {
    return e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }

  @Override
  public String toString() {
    return "OpenStackCloudDriver[" + cloud + ", " + Objects.requireNonNullElse(config.authUrl(), "") + "]";
  }
}
