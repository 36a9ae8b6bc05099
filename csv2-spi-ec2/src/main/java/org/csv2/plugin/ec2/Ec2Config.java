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

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The {@code config:} subtree of a cloud with {@code driver: ec2}, bound by {@code
 * PluginConfig.bind}. Keys are the kebab-case forms of the components. The compact constructor
 * only fills defaults; {@link #validate(String)} reports every broken rule, with its path, at once.
 * Every key is described in {@code docs/ec2.md}.
 *
 * @param region the AWS region, such as {@code us-east-1}
 * @param endpoint an endpoint override (a private endpoint, or a test server such as moto)
 * @param accessKeyId static credentials: the access key id (needs {@code secret-access-key})
 * @param secretAccessKey static credentials: the secret access key
 * @param sessionToken static credentials: the session token of temporary credentials
 * @param profile a named profile of the AWS shared config and credentials files
 * @param subnetId the subnet to boot into; null for the default VPC
 * @param securityGroups security groups: ids ({@code sg-...}) or, in the default VPC, names
 * @param keyName the EC2 key pair to put on the VMs
 * @param availabilityZone the zone to boot into when no subnet is set, and the zone whose spot
 *     price counts
 * @param imageId the AMI csv2 lists as the cloud's image (exclusive with {@code image-name})
 * @param imageName an AMI name pattern ({@code *} and {@code ?} wildcards) whose matches are listed
 * @param imageOwners who owns the listed images: account ids, {@code self}, {@code amazon}, ...
 * @param instanceTypes which instance types become flavors
 * @param market {@code on-demand} (default) or {@code spot}
 * @param spotMaxPrice the most to pay per spot instance-hour; null means AWS's cap (the on-demand
 *     price)
 * @param spotProduct the product description whose spot prices count; default {@code Linux/UNIX}
 * @param vcpuQuota the account's vCPU quota for the region (EC2 quotas live in another service)
 * @param maxInstances the most instances csv2 may count on in the region; null for no limit
 * @param priceTable a file with on-demand prices per instance type
 * @param priceTableFormat {@code auto} (default), {@code ec2instances-info}, {@code libcloud} or
 *     {@code csv}
 * @param priceOs the operating system whose prices count in JSON price tables; default {@code
 *     linux}
 * @param priceRegion the region whose prices count in JSON price tables; default {@code region}
 * @param capacityCoolDown how long an instance type stays unavailable after {@code
 *     InsufficientInstanceCapacity}; default 5 minutes
 * @param flavorRefresh how long the list of instance types is cached; default 1 hour
 * @param spotPriceRefresh how long spot prices are cached; default 5 minutes
 * @param connectTimeout how long to wait for a TCP connection; default 10 s
 * @param callTimeout how long one API call may take, retries included; default 60 s
 * @param maxAttempts how often the SDK tries one call (throttling, 5xx); default 3
 * @param opportunisticMetadata ids of resources whose tags carry the administrators' opportunistic
 *     policy (docs/opportunistic.md); default the {@code subnet-id} when set, else none
 * @param bootConcurrency how many RunInstances calls of one boot request may be in flight at once;
 *     default {@value #DEFAULT_BOOT_CONCURRENCY}
 * @param sessionExpiration when the static session credentials expire (the {@code Expiration} that
 *     {@code aws sts get-session-token} prints, ISO 8601); needs {@code session-token}
 */
record Ec2Config(
    @Nullable String region,
    @Nullable String endpoint,
    @Nullable String accessKeyId,
    @Nullable Secret secretAccessKey,
    @Nullable Secret sessionToken,
    @Nullable String profile,
    @Nullable String subnetId,
    @Nullable List<String> securityGroups,
    @Nullable String keyName,
    @Nullable String availabilityZone,
    @Nullable String imageId,
    @Nullable String imageName,
    @Nullable List<String> imageOwners,
    @Nullable InstanceTypes instanceTypes,
    @Nullable String market,
    @Nullable Double spotMaxPrice,
    @Nullable String spotProduct,
    @Nullable Integer vcpuQuota,
    @Nullable Integer maxInstances,
    @Nullable String priceTable,
    @Nullable String priceTableFormat,
    @Nullable String priceOs,
    @Nullable String priceRegion,
    @Nullable Duration capacityCoolDown,
    @Nullable Duration flavorRefresh,
    @Nullable Duration spotPriceRefresh,
    @Nullable Duration connectTimeout,
    @Nullable Duration callTimeout,
    @Nullable Integer maxAttempts,
    @Nullable List<String> opportunisticMetadata,
    @Nullable Integer bootConcurrency,
    @Nullable String sessionExpiration) {

  static final int DEFAULT_BOOT_CONCURRENCY = 8;
  static final int MAX_BOOT_CONCURRENCY = 64;

  static final String ON_DEMAND = "on-demand";
  static final String SPOT = "spot";
  static final Set<String> MARKETS = Set.of(ON_DEMAND, SPOT);
  static final Set<String> PRICE_FORMATS = Set.of("auto", "ec2instances-info", "libcloud", "csv");
  static final Duration DEFAULT_COOL_DOWN = Duration.ofMinutes(5);
  static final Duration DEFAULT_FLAVOR_REFRESH = Duration.ofHours(1);
  static final Duration DEFAULT_SPOT_PRICE_REFRESH = Duration.ofMinutes(5);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
  static final int DEFAULT_MAX_ATTEMPTS = 3;
  static final int MAX_MAX_ATTEMPTS = 10;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");
  private static final Pattern FAMILY = Pattern.compile("[a-z0-9-]+\\*?");

  /** Fills defaults. An empty list entry ({@code - }) fails binding, with its path. */
  Ec2Config {
    securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    imageOwners = imageOwners == null ? List.of("self") : List.copyOf(imageOwners);
    if (instanceTypes == null) {
      instanceTypes = new InstanceTypes(null, null, null, null, null, null, null);
    }
    if (market == null) {
      market = ON_DEMAND;
    }
    if (spotProduct == null) {
      spotProduct = "Linux/UNIX";
    }
    if (priceTableFormat == null) {
      priceTableFormat = "auto";
    }
    if (priceOs == null) {
      priceOs = "linux";
    }
    if (capacityCoolDown == null) {
      capacityCoolDown = DEFAULT_COOL_DOWN;
    }
    if (flavorRefresh == null) {
      flavorRefresh = DEFAULT_FLAVOR_REFRESH;
    }
    if (spotPriceRefresh == null) {
      spotPriceRefresh = DEFAULT_SPOT_PRICE_REFRESH;
    }
    if (connectTimeout == null) {
      connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    }
    if (callTimeout == null) {
      callTimeout = DEFAULT_CALL_TIMEOUT;
    }
    if (maxAttempts == null) {
      maxAttempts = DEFAULT_MAX_ATTEMPTS;
    }
    if (opportunisticMetadata == null) {
      opportunisticMetadata = subnetId == null || subnetId.isBlank() ? List.of() : List.of(subnetId);
    } else {
      opportunisticMetadata = List.copyOf(opportunisticMetadata);
    }
    if (bootConcurrency == null) {
      bootConcurrency = DEFAULT_BOOT_CONCURRENCY;
    }
  }

  /**
   * Which instance types become flavors. Every set criterion must hold; nothing set admits every
   * type the region offers.
   *
   * @param names exact type names, such as {@code m5.large}
   * @param families families, such as {@code m5} (matches {@code m5.large}, not {@code m5d.large});
   *     a trailing {@code *} matches by prefix ({@code m5*} matches {@code m5d.large} too)
   * @param minVcpus the fewest vCPUs
   * @param maxVcpus the most vCPUs
   * @param minGibPerVcpu the least memory per vCPU, in GiB
   * @param maxGibPerVcpu the most memory per vCPU, in GiB
   * @param currentGenerationOnly only types AWS marks as current generation; default false
   */
  record InstanceTypes(
      @Nullable List<String> names,
      @Nullable List<String> families,
      @Nullable Integer minVcpus,
      @Nullable Integer maxVcpus,
      @Nullable Double minGibPerVcpu,
      @Nullable Double maxGibPerVcpu,
      @Nullable Boolean currentGenerationOnly) {
    /** Fills defaults; never throws. */
    InstanceTypes {
      names = names == null ? List.of() : List.copyOf(names);
      families = families == null ? List.of() : List.copyOf(families);
      if (currentGenerationOnly == null) {
        currentGenerationOnly = Boolean.FALSE;
      }
    }

    /**
     * Whether a type passes the filter.
     *
     * @param type the type name
     * @param vcpus its vCPUs
     * @param memoryMiB its memory
     * @param currentGeneration whether AWS marks it current
     * @return true if every set criterion holds
     */
    boolean admits(String type, int vcpus, long memoryMiB, boolean currentGeneration) {
      List<String> n = names == null ? List.of() : names;
      List<String> f = families == null ? List.of() : families;
      if (!n.isEmpty() && !n.contains(type)) {
        return false;
      }
      if (!f.isEmpty() && f.stream().noneMatch(family -> inFamily(type, family))) {
        return false;
      }
      if (minVcpus != null && vcpus < minVcpus) {
        return false;
      }
      if (maxVcpus != null && vcpus > maxVcpus) {
        return false;
      }
      double gibPerVcpu = vcpus == 0 ? 0 : memoryMiB / 1024.0 / vcpus;
      if (minGibPerVcpu != null && gibPerVcpu < minGibPerVcpu) {
        return false;
      }
      if (maxGibPerVcpu != null && gibPerVcpu > maxGibPerVcpu) {
        return false;
      }
      return !Boolean.TRUE.equals(currentGenerationOnly) || currentGeneration;
    }

    private static boolean inFamily(String type, String family) {
      int dot = type.indexOf('.');
      String own = dot < 0 ? type : type.substring(0, dot);
      return family.endsWith("*")
          ? own.startsWith(family.substring(0, family.length() - 1))
          : own.equals(family);
    }
  }

  boolean spot() {
    return SPOT.equals(market);
  }

  String priceRegionValue() {
    return priceRegion != null ? priceRegion : region == null ? "" : region;
  }

  /**
   * Checks every rule and throws one exception listing all problems. Secret values never appear
   * in the messages.
   *
   * @param path the YAML path of this subtree, such as {@code clouds[0].config}
   * @return this configuration
   * @throws ConfigurationException listing every problem with its path
   */
  Ec2Config validate(String path) {
    List<String> problems = new ArrayList<>();
    String p = path.isEmpty() ? "" : path + ".";
    if (blank(region)) {
      problems.add(p + "region: is required (the AWS region, such as us-east-1)");
    } else if (!REGION.matcher(region).matches()) {
      problems.add(p + "region: '" + region + "' is not a region name such as us-east-1");
    }
    if (endpoint != null) {
      checkUrl(p, endpoint, problems);
    }
    checkCredentials(p, problems);
    checkNotBlankIfSet(p, "subnet-id", subnetId, problems);
    checkNotBlankIfSet(p, "key-name", keyName, problems);
    checkNotBlankIfSet(p, "availability-zone", availabilityZone, problems);
    checkList(p, "security-groups", securityGroups, problems);
    checkImages(p, problems);
    checkInstanceTypes(p, problems);
    checkMarket(p, problems);
    if (vcpuQuota != null && vcpuQuota < 0) {
      problems.add(p + "vcpu-quota: must be >= 0, was " + vcpuQuota + " (leave it out for no limit)");
    }
    if (maxInstances != null && maxInstances < 0) {
      problems.add(p + "max-instances: must be >= 0, was " + maxInstances + " (leave it out for no limit)");
    }
    checkPriceTable(p, problems);
    checkDuration(p, "capacity-cool-down", capacityCoolDown, true, problems);
    checkDuration(p, "flavor-refresh", flavorRefresh, true, problems);
    checkDuration(p, "spot-price-refresh", spotPriceRefresh, true, problems);
    checkDuration(p, "connect-timeout", connectTimeout, false, problems);
    checkDuration(p, "call-timeout", callTimeout, false, problems);
    List<String> sources = opportunisticMetadata == null ? List.of() : opportunisticMetadata;
    for (int i = 0; i < sources.size(); i++) {
      if (!sources.get(i).matches("[a-z]+-[0-9a-zA-Z]{1,32}")) {
        problems.add(p + "opportunistic-metadata[" + i + "]: '" + sources.get(i)
            + "' is not an EC2 resource id (such as vpc-0a1b2c3d or subnet-0a1b2c3d4e5f60718)");
      }
    }
    if (bootConcurrency != null && (bootConcurrency < 1 || bootConcurrency > MAX_BOOT_CONCURRENCY)) {
      problems.add(p + "boot-concurrency: must be 1-" + MAX_BOOT_CONCURRENCY + ", was " + bootConcurrency);
    }
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS)) {
      problems.add(p + "max-attempts: must be between 1 and " + MAX_MAX_ATTEMPTS + ", was " + maxAttempts);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return this;
  }

  private void checkCredentials(String p, List<String> problems) {
    boolean keySet = accessKeyId != null;
    boolean secretSet = secretAccessKey != null;
    if (keySet && blank(accessKeyId)) {
      problems.add(p + "access-key-id: must not be blank");
    }
    if (secretSet && secretAccessKey.isEmpty()) {
      problems.add(p + "secret-access-key: must not be empty");
    }
    if (keySet != secretSet) {
      problems.add(
          p
              + (keySet ? "secret-access-key" : "access-key-id")
              + ": is required with "
              + (keySet ? "access-key-id" : "secret-access-key")
              + " (static credentials need both)");
    }
    if (sessionToken != null && !(keySet && secretSet)) {
      problems.add(p + "session-token: needs access-key-id and secret-access-key");
    }
    if (sessionExpiration != null) {
      if (sessionToken == null) {
        problems.add(p + "session-expiration: needs session-token (only session credentials expire)");
      }
      if (sessionExpiresAt() == null) {
        problems.add(p + "session-expiration: '" + (sessionExpiration.length() > 40 ? sessionExpiration.substring(0, 40) + "..." : sessionExpiration)
            + "' is not an ISO 8601 time with a zone, such as 2026-12-05T18:00:00Z");
      }
    }
    if (profile != null) {
      if (profile.isBlank()) {
        problems.add(p + "profile: must not be blank");
      }
      if (keySet || secretSet) {
        problems.add(
            p
                + "profile, access-key-id: set either static credentials or a profile, not both"
                + " (neither uses the SDK's default credential chain)");
      }
    }
  }

  /** The parsed {@code session-expiration}, or null when unset or not a time. */
  java.time.@Nullable Instant sessionExpiresAt() {
    if (sessionExpiration == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(sessionExpiration.strip()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private void checkImages(String p, List<String> problems) {
    if (imageId != null && imageName != null) {
      problems.add(p + "image-id, image-name: set at most one of them");
    }
    if (imageId != null && !imageId.startsWith("ami-")) {
      problems.add(p + "image-id: '" + imageId + "' is not an AMI id (ami-...)");
    }
    checkNotBlankIfSet(p, "image-name", imageName, problems);
    List<String> owners = imageOwners == null ? List.of() : imageOwners;
    if (owners.isEmpty()) {
      problems.add(p + "image-owners: must not be empty (use self, amazon or account ids)");
    }
    checkList(p, "image-owners", owners, problems);
  }

  private void checkInstanceTypes(String p, List<String> problems) {
    InstanceTypes t = instanceTypes;
    if (t == null) {
      return;
    }
    String q = p + "instance-types.";
    checkList(q, "names", t.names(), problems);
    List<String> families = t.families() == null ? List.of() : t.families();
    for (int i = 0; i < families.size(); i++) {
      if (!FAMILY.matcher(families.get(i)).matches()) {
        problems.add(
            q + "families[" + i + "]: '" + families.get(i) + "' is not a family such as m5 or m5*");
      }
    }
    if (t.minVcpus() != null && t.minVcpus() < 1) {
      problems.add(q + "min-vcpus: must be >= 1, was " + t.minVcpus());
    }
    if (t.maxVcpus() != null && t.maxVcpus() < 1) {
      problems.add(q + "max-vcpus: must be >= 1, was " + t.maxVcpus());
    }
    if (t.minVcpus() != null && t.maxVcpus() != null && t.minVcpus() > t.maxVcpus()) {
      problems.add(q + "min-vcpus, max-vcpus: min " + t.minVcpus() + " is above max " + t.maxVcpus());
    }
    if (t.minGibPerVcpu() != null && !(t.minGibPerVcpu() > 0)) {
      problems.add(q + "min-gib-per-vcpu: must be > 0, was " + t.minGibPerVcpu());
    }
    if (t.maxGibPerVcpu() != null && !(t.maxGibPerVcpu() > 0)) {
      problems.add(q + "max-gib-per-vcpu: must be > 0, was " + t.maxGibPerVcpu());
    }
    if (t.minGibPerVcpu() != null
        && t.maxGibPerVcpu() != null
        && t.minGibPerVcpu() > t.maxGibPerVcpu()) {
      problems.add(
          q + "min-gib-per-vcpu, max-gib-per-vcpu: min " + t.minGibPerVcpu() + " is above max " + t.maxGibPerVcpu());
    }
  }

  private void checkMarket(String p, List<String> problems) {
    if (market != null && !MARKETS.contains(market)) {
      problems.add(p + "market: '" + market + "' is not one of on-demand, spot");
    }
    if (spotMaxPrice != null) {
      if (!(spotMaxPrice > 0) || spotMaxPrice.isInfinite()) {
        problems.add(p + "spot-max-price: must be > 0, was " + spotMaxPrice);
      }
      if (!SPOT.equals(market)) {
        problems.add(p + "spot-max-price: only applies with market: spot");
      }
    }
    checkNotBlankIfSet(p, "spot-product", spotProduct, problems);
  }

  private void checkPriceTable(String p, List<String> problems) {
    if (priceTableFormat != null && !PRICE_FORMATS.contains(priceTableFormat)) {
      problems.add(
          p + "price-table-format: '" + priceTableFormat + "' is not one of auto, ec2instances-info, libcloud, csv");
    }
    checkNotBlankIfSet(p, "price-os", priceOs, problems);
    checkNotBlankIfSet(p, "price-region", priceRegion, problems);
    if (priceTable == null) {
      return;
    }
    try {
      Path file = Path.of(priceTable);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        problems.add(p + "price-table: " + file.toAbsolutePath() + " is not a readable file");
      }
    } catch (InvalidPathException e) {
      problems.add(p + "price-table: '" + priceTable + "' is not a path: " + e.getReason());
    }
  }

  private static void checkUrl(String p, String url, List<String> problems) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        problems.add(p + "endpoint: '" + url + "' is not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      problems.add(p + "endpoint: '" + url + "' is not a URL: " + e.getReason());
    }
  }

  private static void checkDuration(
      String p, String key, @Nullable Duration value, boolean zeroOk, List<String> problems) {
    if (value == null) {
      return;
    }
    if (value.isNegative() || (!zeroOk && value.isZero()) || value.toMillis() > Integer.MAX_VALUE) {
      problems.add(p + key + ": must be " + (zeroOk ? ">= 0" : "positive") + " (and below 24 days), was " + value);
    }
  }

  private static void checkList(String p, String key, @Nullable List<String> values, List<String> problems) {
    List<String> v = values == null ? List.of() : values;
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i) == null || v.get(i).isBlank()) {
        problems.add(p + key + "[" + i + "]: must not be blank");
      }
    }
  }

  private static void checkNotBlankIfSet(String p, String key, @Nullable String value, List<String> problems) {
    if (value != null && value.isBlank()) {
      problems.add(p + key + ": must not be blank");
    }
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
