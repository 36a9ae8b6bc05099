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
package org.csv2.plugin.ec2;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GpuDeviceInfo;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotMarketOptions;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UsageClassType;

/**
 * The EC2 driver of one cloud (one account and region).
 *
 * <p>Booting makes one RunInstances call per VM, so that every instance carries its own {@code
 * csv2-vm} and {@code Name} tags from the moment it exists (TagSpecifications apply to every
 * instance of a call; a batch call followed by CreateTags would leave instances without their name
 * when CreateTags fails, as production's 20-try tag loop shows). Each call carries a client token
 * derived from the engine's instance id and the VM name, so that the SDK's retries never create a
 * second instance for one VM.
 *
 * <p><b>Thread safety:</b> the engine calls one verb at a time; caches are held in volatile fields
 * and a concurrent map so that {@link #close()} may come from any thread.
 */
final class Ec2CloudDriver implements CloudDriver {
  private static final Logger LOG = LoggerFactory.getLogger(Ec2CloudDriver.class);
  private static final String NAME_TAG = "Name";

  /** The tag csv2 puts on the images it makes, so that {@link #images()} lists them. */
  static final String IMAGE_TAG = "csv2-image";

  /** Copy between regions, deregister, key pairs; EC2 takes no image bytes without S3. */
  private static final java.util.Set<org.csv2.spi.ImageCapability> IMAGE_CAPABILITIES =
      java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
          org.csv2.spi.ImageCapability.COPY,
          org.csv2.spi.ImageCapability.DELETE,
          org.csv2.spi.ImageCapability.KEY_PAIR_IMPORT,
          org.csv2.spi.ImageCapability.KEY_PAIR_DELETE));

  /** Newest creation date first; on a tie (moto stamps every image alike), the higher name, then id. */
  private static final Comparator<software.amazon.awssdk.services.ec2.model.Image> NEWEST_FIRST =
      Comparator.comparing(
              (software.amazon.awssdk.services.ec2.model.Image i) -> i.creationDate() == null ? "" : i.creationDate())
          .thenComparing(i -> i.name() == null ? "" : i.name())
          .thenComparing(i -> i.imageId() == null ? "" : i.imageId())
          .reversed();

  private final Ec2Config config;
  private final PluginContext context;
  private final String cloud;
  private final String instanceId;
  private final Clock clock;
  private final Ec2Client ec2;
  private final PriceTable prices;
  private final Ec2Errors errors;
  private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final BootBurst.Pool bootPool;
  private volatile @Nullable Cached<Map<String, InstanceTypeInfo>> types;
  private volatile @Nullable Cached<Map<String, SpotPrices.ZonePrice>> spotPrices;

  Ec2CloudDriver(Ec2Config config, PluginContext context, Ec2Client ec2, PriceTable prices) {
    this.config = config;
    this.context = context;
    this.cloud = context.name();
    this.instanceId = context.instanceId();
    this.clock = context.clock();
    this.ec2 = ec2;
    this.prices = prices;
    this.errors = new Ec2Errors(cloud);
    this.bootPool = new BootBurst.Pool(Objects.requireNonNullElse(config.bootConcurrency(), 1), cloud);
  }

  @Override
  public List<Flavor> flavors() {
    Map<String, InstanceTypeInfo> all = types();
    Map<String, SpotPrices.ZonePrice> spot = config.spot() ? spotPrices() : Map.of();
    List<Flavor> flavors = new ArrayList<>();
    for (InstanceTypeInfo info : all.values()) {
      try {
        if (admitted(info)) {
          flavors.add(flavor(info, spot.get(info.instanceTypeAsString())));
        }
      } catch (RuntimeException e) {
        // one instance type csv2 cannot read leaves out that type only, named
        context.rejected("instance type " + head(info.instanceTypeAsString()), describe(e));
      }
    }
    flavors.sort(Comparator.comparing(Flavor::name));
    return List.copyOf(flavors);
  }

  @Override
  public List<Image> images() {
    DescribeImagesRequest.Builder request = DescribeImagesRequest.builder();
    if (config.imageId() != null) {
      request.imageIds(config.imageId());
    } else {
      request.owners(config.imageOwners());
      if (config.imageName() != null) {
        request.filters(filter("name", config.imageName()));
      }
    }
    List<software.amazon.awssdk.services.ec2.model.Image> found;
    try {
      found = new ArrayList<>(ec2.describeImages(request.build()).images());
    } catch (SdkException e) {
      throw errors.map(e, "DescribeImages (" + imageSelection() + ")");
    }
    found.sort(NEWEST_FIRST);
    List<Image> images = new ArrayList<>();
    String pattern = config.imageId() == null ? config.imageName() : null;
    if (pattern != null && !found.isEmpty() && found.get(0).imageId() != null) {
      // The configured name pattern is itself an image the engine can name (vm-defaults.image:
      // "amzn2-ami-*"): it stands for the newest match, which boot() resolves again each time.
      images.add(new Image(found.get(0).imageId(), pattern));
    }
    found.stream()
        .filter(i -> i.imageId() != null)
        .map(i -> new Image(i.imageId(), i.name() == null || i.name().isBlank() ? i.imageId() : i.name()))
        .forEach(images::add);
    java.util.Set<String> listed = new java.util.HashSet<>();
    images.forEach(i -> listed.add(i.id()));
    for (Image own : ownImages()) {
      if (listed.add(own.id())) {
        images.add(own);
      }
    }
    return List.copyOf(images);
  }

  /** The available images csv2 made in this project (copies, tagged {@value #IMAGE_TAG}). */
  private List<Image> ownImages() {
    try {
      return ec2.describeImages(r -> r.owners("self").filters(filter("tag-key", IMAGE_TAG))).images().stream()
          .filter(i -> i.imageId() != null && (i.state() == null
              || i.state() == software.amazon.awssdk.services.ec2.model.ImageState.AVAILABLE))
          .map(i -> new Image(i.imageId(), i.name() == null || i.name().isBlank() ? i.imageId() : i.name()))
          .toList();
    } catch (SdkException e) {
      throw errors.map(e, "DescribeImages (owner self, tag " + IMAGE_TAG + ")");
    }
  }

  @Override
  public CloudCapacity capacity() {
    Map<String, InstanceTypeInfo> all = types();
    int cores = 0;
    long ram = 0;
    int count = 0;
    DescribeInstancesRequest request =
        DescribeInstancesRequest.builder().filters(filter("instance-state-name", "pending", "running")).build();
    try {
      for (software.amazon.awssdk.services.ec2.model.Instance i : allInstances(request)) {
        InstanceState state = state(i);
        if (state != InstanceState.PENDING && state != InstanceState.ACTIVE) {
          continue;
        }
        InstanceTypeInfo info = all.get(i.instanceTypeAsString());
        int vcpus = info != null ? vcpus(info) : cpuOptionVcpus(i);
        cores += vcpus;
        ram += info != null && info.memoryInfo() != null && info.memoryInfo().sizeInMiB() != null
            ? info.memoryInfo().sizeInMiB()
            : 0;
        count++;
      }
    } catch (SdkException e) {
      throw errors.map(e, "DescribeInstances (usage of the region)");
    }
    Limits max =
        new Limits(
            config.vcpuQuota() == null ? Limits.UNLIMITED : config.vcpuQuota(),
            Limits.UNLIMITED,
            config.maxInstances() == null ? Limits.UNLIMITED : config.maxInstances());
    return new CloudCapacity(max, new Limits(cores, ram, count));
  }

  @Override
  public List<Instance> boot(BootRequest request) {
    return bootEach(List.of(request));
  }

  /**
   * One RunInstances per VM of all the requests, {@code boot-concurrency} at a time after the first
   * ({@link BootBurst}); each distinct type is checked and each distinct image resolved once.
   */
  @Override
  public List<Instance> bootEach(List<BootRequest> requests) {
    Map<String, String> images = new HashMap<>();
    for (BootRequest r : requests) {
      checkType(r.flavor().value());
      if (!images.containsKey(r.image())) {
        images.put(r.image(), resolveImage(r.image()));
      }
    }
    return BootBurst.runEach(
        requests, bootPool.get(), (r, name) -> runOne(r, name, r.flavor().value(), images.get(r.image())),
        warning -> LOG.warn("cloud {}: {}", cloud, warning));
  }

  private void checkType(String type) {
    InstanceTypeInfo info = types().get(type);
    if (info == null) {
      throw new CloudException(
          Reason.INVALID_REQUEST,
          String.format(
              "cloud %s: instance type '%s' is not offered in region %s; use one of flavors()",
              cloud, type, config.region()));
    }
    if (!admitted(info)) {
      throw new CloudException(
          Reason.INVALID_REQUEST,
          String.format(
              "cloud %s: instance type '%s' is excluded by the instance-types filter of the cloud's config",
              cloud, type));
    }
    Instant until = coolingUntil.get(type);
    if (until != null && clock.instant().isBefore(until)) {
      throw new CloudException(
          Reason.CAPACITY_UNAVAILABLE,
          String.format(
              "cloud %s: instance type '%s' had no capacity (InsufficientInstanceCapacity); it is avoided until %s",
              cloud, type, until));
    }
  }


  /**
   * The administrators' policy from the tags of the resources of {@code opportunistic-metadata}
   * (one DescribeTags call); each resource is a source, combined most-restrictive-first.
   */
  @Override
  public OpportunisticPolicy opportunisticPolicy() {
    List<String> resources = Objects.requireNonNullElse(config.opportunisticMetadata(), List.of());
    if (resources.isEmpty()) {
      return OpportunisticPolicy.NONE;
    }
    Map<String, Map<String, String>> byResource = new TreeMap<>();
    for (String r : resources) {
      byResource.put(r, new HashMap<>());
    }
    try {
      ec2.describeTagsPaginator(r -> r.filters(
              filter("resource-id", resources.toArray(String[]::new)),
              filter("key", OpportunisticMetadata.KEYS.toArray(String[]::new))))
          .tags()
          .forEach(t -> {
            Map<String, String> m = byResource.get(t.resourceId());
            if (m != null && t.key() != null && t.value() != null) {
              m.put(t.key(), t.value());
            }
          });
    } catch (SdkException e) {
      throw errors.map(e, "DescribeTags (opportunistic policy on " + String.join(", ", resources) + ")");
    }
    List<OpportunisticPolicy> found = new ArrayList<>();
    byResource.forEach((r, m) -> found.add(OpportunisticMetadata.parse(m, "tags of " + r)));
    return OpportunisticMetadata.combine(found, "cloud " + cloud);
  }

  @Override
  public List<Instance> instances() {
    DescribeInstancesRequest request =
        DescribeInstancesRequest.builder().filters(filter("tag:" + Csv2Tags.INSTANCE_ID, instanceId)).build();
    List<Instance> result = new ArrayList<>();
    try {
      Set<String> seen = new HashSet<>();
      for (software.amazon.awssdk.services.ec2.model.Instance i : allInstances(request)) {
        if (i.instanceId() != null && !seen.add(i.instanceId())) {
          // an id listed twice: the first is kept, so a second record never replaces it
          context.rejected("instance " + head(i.instanceId()), "listed more than once; the first is kept");
          continue;
        }
        Instance mapped;
        try {
          mapped = toInstance(i, Map.of());
        } catch (RuntimeException e) {
          // one instance csv2 cannot read leaves out that instance only, named
          context.rejected("instance " + head(i.instanceId()), describe(e));
          continue;
        }
        if (mapped.state() != InstanceState.TERMINATED) {
          result.add(mapped);
        }
      }
    } catch (SdkException e) {
      throw errors.map(e, "DescribeInstances (tag " + Csv2Tags.INSTANCE_ID + "=" + instanceId + ")");
    }
    return List.copyOf(result);
  }

  @Override
  public void terminate(InstanceId id) {
    try {
      ec2.terminateInstances(r -> r.instanceIds(id.value()));
    } catch (SdkException e) {
      if (Ec2Errors.NOT_FOUND_INSTANCE.equals(Ec2Errors.code(e))) {
        LOG.debug("cloud {}: instance {} is already gone", cloud, id);
        return;
      }
      throw errors.map(e, "TerminateInstances of " + id);
    }
  }

  /**
   * One {@code TerminateInstances} for all the ids. EC2 refuses the whole request, terminating
   * none, when one id is unknown (already gone), malformed or protected: then each goes alone,
   * {@code boot-concurrency} at a time, so that one vanished instance does not block the others.
   * A cloud that is down or refuses the credentials fails them all at once.
   */
  @Override
  public Map<InstanceId, CloudException> terminateEach(List<InstanceId> ids) {
    try {
      ec2.terminateInstances(r -> r.instanceIds(ids.stream().map(InstanceId::value).toList()));
      LOG.debug("cloud {}: {} instances terminating", cloud, ids.size());
      return Map.of();
    } catch (SdkException e) {
      CloudException mapped = errors.map(e, "TerminateInstances of " + ids.size() + " instances");
      if (BootBurst.cloudDown(mapped)) {
        Map<InstanceId, CloudException> all = new LinkedHashMap<>();
        ids.forEach(id -> all.put(id, mapped));
        return all;
      }
      LOG.info("cloud {}: TerminateInstances of {} instances refused ({}); terminating them one by one",
          cloud, ids.size(), Ec2Errors.code(e));
      return BootBurst.terminateEach(ids, bootPool.get(), this::terminate);
    }
  }

  @Override
  public List<KeyPair> keyPairs() {
    try {
      return ec2.describeKeyPairs().keyPairs().stream()
          .filter(k -> k.keyName() != null && !k.keyName().isBlank())
          .map(k -> new KeyPair(k.keyName(), k.keyFingerprint() == null ? "" : k.keyFingerprint()))
          .toList();
    } catch (SdkException e) {
      throw errors.map(e, "DescribeKeyPairs");
    }
  }

  @Override
  public List<Network> networks() {
    try {
      return ec2.describeSubnetsPaginator(r -> {}).subnets().stream()
          .filter(s -> s.subnetId() != null)
          .map(s -> new Network(s.subnetId(), tagsOf(s.tags()).getOrDefault(NAME_TAG, s.subnetId())))
          .toList();
    } catch (SdkException e) {
      throw errors.map(e, "DescribeSubnets");
    }
  }

  /**
   * The expiration of the credentials the client signs with, when they say: session credentials
   * with {@code session-expiration}, or what the profile or the SDK's default chain resolved (SSO,
   * {@code credential_process}, assumed roles, container and instance roles). The provider caches
   * and refreshes them; long-term access keys have none.
   */
  @Override
  public java.util.Optional<java.time.Instant> credentialsExpireAt() {
    try {
      return ec2.serviceClientConfiguration().credentialsProvider().resolveIdentity().join().expirationTime();
    } catch (RuntimeException e) {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      throw new CloudException(CloudException.Reason.AUTHENTICATION, "cloud " + cloud + ": credentials could not be resolved: " + cause.getMessage(), cause);
    }
  }

  @Override
  public java.util.Set<org.csv2.spi.ImageCapability> imageCapabilities() {
    return IMAGE_CAPABILITIES;
  }

  @Override
  public Image copyImage(String sourceImageId, @Nullable String sourceRegion, String name) {
    String from = sourceRegion == null ? config.region() : sourceRegion;
    String what = "CopyImage of " + sourceImageId + " from " + from + " as '" + name + "'";
    String id;
    try {
      id = ec2.copyImage(r -> r.sourceImageId(sourceImageId).sourceRegion(from).name(name)
          .description("copied by csv2 from " + from + "/" + sourceImageId)).imageId();
    } catch (SdkException e) {
      String code = Ec2Errors.code(e);
      if (code.startsWith("InvalidAMIID.")) {
        throw new CloudException(
            Reason.NOT_FOUND,
            String.format("cloud %s: %s: no such image (%s)", cloud, what, code), e);
      }
      throw errors.map(e, what);
    }
    if (id == null) {
      throw new CloudException(Reason.UNAVAILABLE, "cloud " + cloud + ": " + what + ": EC2 returned no image id");
    }
    try {
      ec2.createTags(r -> r.resources(id).tags(Tag.builder().key(IMAGE_TAG).value(name).build()));
    } catch (SdkException e) {
      deregisterQuietly(id, what);
      throw errors.map(e, "CreateTags on the copy " + id + " (" + what + ")");
    }
    LOG.info("cloud {}: image {} copied from {}/{} as {} ({})", cloud, name, from, sourceImageId, id, name);
    return new Image(id, name);
  }

  /**
   * Another EC2 driver of the same account: the same endpoint (none: AWS's own) and the same
   * credentials (access key id, profile, or both the default chain), in any region. {@code
   * CopyImage} then takes the image from that driver's region.
   */
  @Override
  public java.util.Optional<String> copySource(CloudDriver source) {
    if (source instanceof Ec2CloudDriver other
        && Objects.equals(config.endpoint(), other.config.endpoint())
        && Objects.equals(config.accessKeyId(), other.config.accessKeyId())
        && Objects.equals(config.profile(), other.config.profile())) {
      return java.util.Optional.ofNullable(other.config.region());
    }
    return java.util.Optional.empty();
  }

  @Override
  public void deleteImage(String imageId) {
    try {
      ec2.deregisterImage(r -> r.imageId(imageId));
    } catch (SdkException e) {
      String code = Ec2Errors.code(e);
      if (code.equals("InvalidAMIID.NotFound") || code.equals("InvalidAMIID.Unavailable") || code.equals("InvalidAMIID.Malformed")) {
        LOG.debug("cloud {}: image {} is already gone ({})", cloud, imageId, code);
        return;
      }
      throw errors.map(e, "DeregisterImage of " + imageId);
    }
  }

  private void deregisterQuietly(String id, String what) {
    try {
      deleteImage(id);
    } catch (RuntimeException e) {
      LOG.warn("cloud {}: {} failed and its image {} could not be deregistered; do it by hand: {}", cloud, what, id, e.toString());
    }
  }

  @Override
  public KeyPair importKeyPair(String name, String publicKey) {
    try {
      var r = ec2.importKeyPair(b -> b.keyName(name)
          .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromUtf8String(publicKey)));
      return new KeyPair(r.keyName() == null ? name : r.keyName(), r.keyFingerprint() == null ? "" : r.keyFingerprint());
    } catch (SdkException e) {
      throw errors.map(e, "ImportKeyPair of '" + name + "'");
    }
  }

  @Override
  public void deleteKeyPair(String name) {
    try {
      ec2.deleteKeyPair(r -> r.keyName(name));
    } catch (SdkException e) {
      if (Ec2Errors.code(e).equals("InvalidKeyPair.NotFound")) {
        return;
      }
      throw errors.map(e, "DeleteKeyPair of '" + name + "'");
    }
  }

  private static List<String> withSelf(List<String> owners) {
    if (owners.contains("self")) {
      return owners;
    }
    List<String> out = new ArrayList<>(owners);
    out.add("self");
    return out;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      bootPool.close();
      ec2.close();
    }
  }

  /** Whether a type is in cool-down after a capacity failure, by the engine's clock. */
  boolean coolingDown(String type) {
    Instant until = coolingUntil.get(type);
    return until != null && clock.instant().isBefore(until);
  }

  private Instance runOne(BootRequest request, VmId name, String type, String image) {
    Map<String, String> tags = new LinkedHashMap<>(request.tags());
    tags.put(Csv2Tags.INSTANCE_ID, instanceId);
    tags.put(Csv2Tags.CLOUD, request.tags().getOrDefault(Csv2Tags.CLOUD, cloud));
    tags.put(Csv2Tags.GROUP, request.group().value());
    tags.put(Csv2Tags.VM_NAME, name.value());
    tags.put(NAME_TAG, name.value());
    RunInstancesRequest.Builder run =
        RunInstancesRequest.builder()
            .imageId(image)
            .instanceType(type)
            .minCount(1)
            .maxCount(1)
            .clientToken(clientToken(name))
            .tagSpecifications(
                TagSpecification.builder()
                    .resourceType(ResourceType.INSTANCE)
                    .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                    .build());
    if (!request.userData().isEmpty()) {
      run.userData(request.userData().base64());
    }
    String keyName = request.vm().keyName() != null ? request.vm().keyName() : config.keyName();
    if (keyName != null) {
      run.keyName(keyName);
    }
    String subnet = request.vm().network() != null ? request.vm().network() : config.subnetId();
    if (subnet != null) {
      run.subnetId(subnet);
    } else if (config.availabilityZone() != null) {
      run.placement(p -> p.availabilityZone(config.availabilityZone()));
    }
    List<String> groups = request.vm().securityGroups() != null ? request.vm().securityGroups() : config.securityGroups();
    List<String> groupIds = groups.stream().filter(g -> g.startsWith("sg-")).toList();
    List<String> groupNames = groups.stream().filter(g -> !g.startsWith("sg-")).toList();
    if (!groupIds.isEmpty()) {
      run.securityGroupIds(groupIds);
    }
    if (!groupNames.isEmpty()) {
      run.securityGroups(groupNames);
    }
    if (config.spot()) {
      SpotMarketOptions.Builder spot =
          SpotMarketOptions.builder()
              .spotInstanceType(SpotInstanceType.ONE_TIME)
              .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE);
      OptionalDouble max = maxPrice(request.maxPrice());
      if (max.isPresent()) {
        spot.maxPrice(BigDecimal.valueOf(max.getAsDouble()).stripTrailingZeros().toPlainString());
      }
      run.instanceMarketOptions(
          InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT).spotOptions(spot.build()).build());
    }
    software.amazon.awssdk.services.ec2.model.Instance created;
    try {
      List<software.amazon.awssdk.services.ec2.model.Instance> reply = ec2.runInstances(run.build()).instances();
      if (reply.isEmpty()) {
        throw new CloudException(
            Reason.UNAVAILABLE,
            String.format("cloud %s: RunInstances of %s (%s) returned no instance", cloud, name, type));
      }
      created = reply.get(0);
    } catch (SdkException e) {
      CloudException mapped = errors.map(e, "RunInstances of " + name + " (" + type + ", " + image + ")");
      if (mapped.reason() == Reason.CAPACITY_UNAVAILABLE) {
        Instant until = clock.instant().plus(config.capacityCoolDown());
        coolingUntil.put(type, until);
        LOG.info("cloud {}: no capacity for {}; it is unavailable until {}", cloud, type, until);
      }
      throw mapped;
    }
    LOG.debug("cloud {}: booted {} as {}", cloud, name, created.instanceId());
    return toInstance(created, tags);
  }

  /** The lowest positive of the configured and the requested maximum, if any. */
  private OptionalDouble maxPrice(double requested) {
    Double configured = config.spotMaxPrice();
    if (configured != null && requested > 0) {
      return OptionalDouble.of(Math.min(configured, requested));
    }
    if (configured != null) {
      return OptionalDouble.of(configured);
    }
    return requested > 0 ? OptionalDouble.of(requested) : OptionalDouble.empty();
  }

  private String clientToken(VmId name) {
    return "csv2-" + UUID.nameUUIDFromBytes((instanceId + "/" + name.value()).getBytes(StandardCharsets.UTF_8));
  }

  private String resolveImage(String reference) {
    DescribeImagesRequest request;
    if (reference.startsWith("ami-")) {
      request = DescribeImagesRequest.builder().imageIds(reference).build();
    } else {
      request =
          DescribeImagesRequest.builder().owners(withSelf(config.imageOwners())).filters(filter("name", reference)).build();
    }
    List<software.amazon.awssdk.services.ec2.model.Image> found;
    try {
      found = new ArrayList<>(ec2.describeImages(request).images());
    } catch (SdkException e) {
      String code = Ec2Errors.code(e);
      if (code.startsWith("InvalidAMIID.")) {
        throw new CloudException(
            Reason.INVALID_REQUEST,
            String.format("cloud %s: image '%s' does not exist in region %s (%s)", cloud, reference, config.region(), code),
            e);
      }
      throw errors.map(e, "DescribeImages of '" + reference + "'");
    }
    found.sort(NEWEST_FIRST);
    return found.stream()
        .map(software.amazon.awssdk.services.ec2.model.Image::imageId)
        .filter(id -> id != null)
        .findFirst()
        .orElseThrow(
            () ->
                new CloudException(
                    Reason.INVALID_REQUEST,
                    String.format(
                        "cloud %s: image '%s' matches no image %s in region %s",
                        cloud,
                        reference,
                        reference.startsWith("ami-") ? "id" : "name of owners " + config.imageOwners(),
                        config.region())));
  }

  private String imageSelection() {
    if (config.imageId() != null) {
      return "image-id " + config.imageId();
    }
    return "owners " + config.imageOwners() + (config.imageName() == null ? "" : ", name " + config.imageName());
  }

  private Map<String, InstanceTypeInfo> types() {
    Cached<Map<String, InstanceTypeInfo>> c = types;
    Instant now = clock.instant();
    if (c != null && !c.expired(now, config.flavorRefresh())) {
      return c.value();
    }
    Map<String, InstanceTypeInfo> fetched = new HashMap<>();
    try {
      for (InstanceTypeInfo info : ec2.describeInstanceTypesPaginator(r -> r.maxResults(100)).instanceTypes()) {
        // a record without its name, cores or memory is left out, named; one whose name another
        // record had before is left out too, so it never replaces that record
        String type = info.instanceTypeAsString();
        if (type == null || type.isBlank()) {
          context.rejected("instance type (no name)", "no instanceType");
        } else if (info.vCpuInfo() == null || info.memoryInfo() == null) {
          context.rejected("instance type " + head(type), info.vCpuInfo() == null ? "no vCpuInfo" : "no memoryInfo");
        } else if (fetched.putIfAbsent(type, info) != null) {
          context.rejected("instance type " + head(type), "listed more than once; the first is kept");
        }
      }
    } catch (SdkException e) {
      if (c != null) {
        LOG.warn("cloud {}: keeping the instance types of {}: {}", cloud, c.at(), e.getMessage());
        return c.value();
      }
      throw errors.map(e, "DescribeInstanceTypes");
    }
    Map<String, InstanceTypeInfo> value = Map.copyOf(fetched);
    types = new Cached<>(value, now);
    return value;
  }

  private Map<String, SpotPrices.ZonePrice> spotPrices() {
    Cached<Map<String, SpotPrices.ZonePrice>> c = spotPrices;
    Instant now = clock.instant();
    if (c != null && !c.expired(now, config.spotPriceRefresh())) {
      return c.value();
    }
    DescribeSpotPriceHistoryRequest.Builder request =
        DescribeSpotPriceHistoryRequest.builder()
            .startTime(now)
            .productDescriptions(config.spotProduct())
            .maxResults(1000);
    if (config.availabilityZone() != null) {
      request.availabilityZone(config.availabilityZone());
    }
    List<SpotPrice> history = new ArrayList<>();
    try {
      ec2.describeSpotPriceHistoryPaginator(request.build()).spotPriceHistory().forEach(history::add);
    } catch (SdkException e) {
      if (c != null) {
        LOG.warn("cloud {}: keeping the spot prices of {}: {}", cloud, c.at(), e.getMessage());
        return c.value();
      }
      throw errors.map(e, "DescribeSpotPriceHistory");
    }
    Map<String, SpotPrices.ZonePrice> value =
        Map.copyOf(
            SpotPrices.current(
                history,
                config.spotProduct(),
                config.availabilityZone(),
                (record, reason) -> context.rejected(head(record), reason)));
    spotPrices = new Cached<>(value, now);
    return value;
  }

  private boolean admitted(InstanceTypeInfo info) {
    if (config.spot()
        && info.hasSupportedUsageClasses()
        && !info.supportedUsageClasses().isEmpty()
        && !info.supportedUsageClasses().contains(UsageClassType.SPOT)) {
      return false;
    }
    Ec2Config.InstanceTypes filter = config.instanceTypes();
    return filter == null
        || filter.admits(
            info.instanceTypeAsString(),
            vcpus(info),
            memoryMiB(info),
            Boolean.TRUE.equals(info.currentGeneration()));
  }

  private Flavor flavor(InstanceTypeInfo info, SpotPrices.@Nullable ZonePrice spot) {
    String type = info.instanceTypeAsString();
    int gpus = 0;
    if (info.gpuInfo() != null && info.gpuInfo().hasGpus()) {
      for (GpuDeviceInfo g : info.gpuInfo().gpus()) {
        gpus += g.count() == null ? 0 : g.count();
      }
    }
    long disk =
        info.instanceStorageInfo() != null && info.instanceStorageInfo().totalSizeInGB() != null
            ? info.instanceStorageInfo().totalSizeInGB()
            : 0;
    Resources resources = new Resources(vcpus(info), memoryMiB(info), disk, 0, gpus);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("market", config.market());
    properties.put("current-generation", String.valueOf(Boolean.TRUE.equals(info.currentGeneration())));
    OptionalDouble onDemand = prices.price(type);
    onDemand.ifPresent(p -> properties.put("on-demand-price", String.valueOf(p)));
    double price = onDemand.orElse(0);
    boolean available = !coolingDown(type);
    if (spot != null) {
      properties.put("spot-price", String.valueOf(spot.price()));
      properties.put("spot-zone", spot.zone());
      price = spot.price();
      Double max = config.spotMaxPrice();
      if (max != null && spot.price() > max) {
        available = false;
      }
    }
    return new Flavor(FlavorName.of(type), resources, price, available, properties);
  }

  private Instance toInstance(software.amazon.awssdk.services.ec2.model.Instance i, Map<String, String> known) {
    Map<String, String> tags = new HashMap<>(known);
    tags.putAll(tagsOf(i.tags()));
    VmId name = vmName(tags, i.instanceId());
    String type = i.instanceTypeAsString() == null ? "unknown" : i.instanceTypeAsString();
    return new Instance(InstanceId.of(i.instanceId()), name, FlavorName.of(type), state(i), "", tags, i.launchTime());
  }

  private static VmId vmName(Map<String, String> tags, String id) {
    for (String key : List.of(Csv2Tags.VM_NAME, NAME_TAG)) {
      String value = tags.get(key);
      if (value != null) {
        try {
          return VmId.of(value);
        } catch (IllegalArgumentException e) {
          LOG.debug("instance {}: tag {}='{}' is no VM name", id, key, value);
        }
      }
    }
    return VmId.of(id.toLowerCase(Locale.ROOT));
  }

  static InstanceState state(software.amazon.awssdk.services.ec2.model.Instance i) {
    String name = i.state() == null ? null : i.state().nameAsString();
    if (name == null) {
      return InstanceState.UNKNOWN;
    }
    return switch (name) {
      case "pending" -> InstanceState.PENDING;
      case "running" -> InstanceState.ACTIVE;
      case "shutting-down" -> InstanceState.TERMINATING;
      case "terminated" -> InstanceState.TERMINATED;
      case "stopping", "stopped" -> InstanceState.STOPPED;
      default -> InstanceState.UNKNOWN;
    };
  }

  private static Map<String, String> tagsOf(@Nullable List<Tag> tags) {
    Map<String, String> map = new HashMap<>();
    if (tags != null) {
      for (Tag t : tags) {
        if (t.key() != null && t.value() != null) {
          map.put(t.key(), t.value());
        }
      }
    }
    return map;
  }

  private static int vcpus(InstanceTypeInfo info) {
    Integer v = info.vCpuInfo() == null ? null : info.vCpuInfo().defaultVCpus();
    return v == null ? 0 : v;
  }

  private static long memoryMiB(InstanceTypeInfo info) {
    Long m = info.memoryInfo() == null ? null : info.memoryInfo().sizeInMiB();
    return m == null ? 0 : m;
  }

  private static int cpuOptionVcpus(software.amazon.awssdk.services.ec2.model.Instance i) {
    if (i.cpuOptions() == null || i.cpuOptions().coreCount() == null) {
      return 0;
    }
    int threads = i.cpuOptions().threadsPerCore() == null ? 1 : i.cpuOptions().threadsPerCore();
    return i.cpuOptions().coreCount() * threads;
  }

  private List<software.amazon.awssdk.services.ec2.model.Instance> allInstances(DescribeInstancesRequest request) {
    List<software.amazon.awssdk.services.ec2.model.Instance> all = new ArrayList<>();
    ec2.describeInstancesPaginator(request).reservations().forEach(r -> all.addAll(r.instances()));
    return all;
  }

  private static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  /** A value and when it was fetched. */
  private record Cached<T>(T value, Instant at) {
    boolean expired(Instant now, java.time.Duration ttl) {
      return !now.isBefore(at.plus(ttl));
    }
  }

  private static String describe(RuntimeException e) {
    return e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static String head(@Nullable String text) {
    String t = String.valueOf(text);
    return t.length() <= 60 ? t : t.substring(0, 60) + "...";
  }
}
