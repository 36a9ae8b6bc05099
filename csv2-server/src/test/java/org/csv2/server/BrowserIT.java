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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's headless chromium driven by Selenium (packages installed by
 * scripts/testenv). One server and one browser for the class, with an engine in the same process on
 * a simulated world whose cycles the tests run (a virtual clock: nothing depends on timing). Each
 * test signs in afresh as its user. Screenshots of every page go to target/screenshots. The drain
 * test runs last: its cycles finish the atlas jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final String YAML =
      """
      engine: { instance-id: b1 }
      timers: { cycle: 30s }
      groups:
        - { name: atlas, vm-defaults: { image: centos7 } }
        - { name: belle, vm-defaults: { image: centos7 } }
      clouds:
        - name: cloud-a
          driver: simulated
          config:
            quota: { cores: 40 }
            foreign-usage: { cores: 6, ram-mib: 12000 }
            boot-delay: { min: 30s, max: 30s }
            flavors: [ { name: m1.large, cores: 4, ram-mib: 8000, disk-gib: 20 } ]
        - name: cloud-b
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 30s, max: 30s }
            flavors: [ { name: m1.large, cores: 4, ram-mib: 8000, disk-gib: 20 } ]
      allocations:
        - { group: atlas, cloud: cloud-a }
        - { group: belle, cloud: cloud-b }
      job-source: { driver: simulated, config: { register-delay: 30s } }
      state-store: { driver: shared-memory }
      """;

  private Fixture fixture;
  private Path profile;
  private WebDriver d;
  private org.csv2.api.Scheduler engine;
  private final org.csv2.core.sim.VirtualClock clock = new org.csv2.core.sim.VirtualClock();

  @BeforeAll
  void start() throws Exception {
    org.csv2.core.store.InMemoryStateStore store = new org.csv2.core.store.InMemoryStateStore(clock);
    org.csv2.core.sim.SimulatedWorld world = new org.csv2.core.sim.SimulatedWorld(clock, 7);
    org.csv2.spi.StateStoreProvider shared =
        new org.csv2.spi.StateStoreProvider() {
          @Override
          public String name() {
            return "shared-memory";
          }

          @Override
          public org.csv2.spi.StateStore create(org.csv2.spi.PluginConfig config, org.csv2.spi.PluginContext context) {
            return store;
          }
        };
    engine =
        org.csv2.core.Csv2Scheduler.builder()
            .configYaml(YAML)
            .clock(clock)
            .executor(new org.csv2.core.sim.CallingThreadExecutor())
            .addCloudDriverProvider(world.cloudProvider())
            .addJobSourceProvider(world.jobSourceProvider())
            .addStateStoreProvider(shared)
            .build();
    engine.runOnce(); // saves the configuration in the shared store
    org.csv2.model.Resources oneVm = org.csv2.model.Resources.of(4, 7000, 10);
    for (int i = 0; i < 12; i++) {
      world.pool().submit(Fixture.ATLAS, "u1", oneVm, Duration.ofMinutes(10), 0);
    }
    for (int i = 0; i < 3; i++) {
      world.pool().submit(Fixture.BELLE, "u2", oneVm, Duration.ofMinutes(600), 0);
    }
    cycles(8); // VMs boot, register and run the jobs
    fixture = Fixture.usersOnly(store, b -> b.scheduler(engine).engineClock(clock));
    Files.createDirectories(SHOTS);
    profile = Files.createTempDirectory("csv2-chromium-");
    d = browser();
  }

  @AfterAll
  void stop() {
    if (d != null) {
      d.quit();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** Runs engine cycles 30 s of virtual time apart. */
  private void cycles(int n) {
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofSeconds(30));
      engine.runOnce();
    }
  }

  /**
   * The class's one browser. Its driver listens on a port found here (bound and released on the
   * loopback) rather than by Selenium's prober, which has failed on this shared machine ("Unable to
   * find a free port"); a start that still fails is tried again twice.
   */
  private WebDriver browser() throws Exception {
    WebDriverException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      ChromeOptions o = new ChromeOptions();
      o.setBinary(new File("/usr/bin/chromium"));
      o.addArguments(
          "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1400,1000", "--user-data-dir=" + profile.resolve("run" + attempt));
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingPort(port).build();
      try {
        ChromeDriver c = new ChromeDriver(service, o);
        c.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return c;
      } catch (WebDriverException e) {
        last = e;
        service.stop();
      }
    }
    throw last;
  }

  /** Signs the class's browser in as a user (signing out whoever was signed in: their cookies go). */
  private void signIn(String user) {
    d.manage().deleteAllCookies();
    d.get(fixture.uri("/login").toString());
    d.findElement(By.name("name")).sendKeys(user);
    d.findElement(By.name("password")).sendKeys(Fixture.PASSWORD);
    d.findElement(By.cssSelector("button.primary")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/status"));
  }

  /** Opens a page of the server and saves its screenshot under the name. */
  private void open(String path, String shot) throws Exception {
    d.get(fixture.uri(path).toString());
    shot(d, shot);
  }

  private static void shot(WebDriver d, String name) throws Exception {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void statusNumbersAreTheEnginesAndAPlotOpens() throws Exception {
    signIn("alice");
    shot(d, "status");
    // the engine's own figures: its last status snapshot of the group
    org.csv2.api.ops.GroupStatus truth = fixture.store.statuses().stream().filter(g -> g.group().equals(Fixture.ATLAS)).findFirst().orElseThrow();
    org.csv2.api.ops.GroupStatus.JobCounts jobs = truth.jobs().stream().filter(j -> j.alias() == null).findFirst().orElseThrow();
    org.csv2.api.ops.GroupStatus.CloudFigures cloud = truth.clouds().get(0);
    assertThat(jobs.running()).as("the world runs jobs").isPositive();
    assertThat(figure("jobs.idle:atlas")).isEqualTo(String.valueOf(jobs.idle()));
    assertThat(figure("jobs.running:atlas")).isEqualTo(String.valueOf(jobs.running()));
    assertThat(figure("vms.running:atlas:cloud-a")).isEqualTo(String.valueOf(cloud.vmsByState().getOrDefault(org.csv2.model.VmState.RUNNING, 0)));
    assertThat(figure("cores.used:atlas:cloud-a")).isEqualTo(String.valueOf(cloud.cores().used()));
    assertThat(figure("cores.foreign:atlas:cloud-a")).isEqualTo("6");
    assertThat(figure("cores.quota:atlas:cloud-a")).isEqualTo("40");
    d.findElement(By.cssSelector("[data-figure='jobs.idle:atlas']")).click();
    new WebDriverWait(d, Duration.ofSeconds(15)).until(x -> !x.findElements(By.cssSelector("#plot canvas")).isEmpty());
    assertThat(d.findElement(By.tagName("h1")).getText()).startsWith("jobs: idle, running");
    assertThat(d.findElements(By.cssSelector(".u-legend .u-series"))).as("legend: time plus the job states").hasSizeGreaterThanOrEqualTo(3);
    // uPlot draws its axes on the canvas; the legend names the time under the cursor as a UTC date and time
    new org.openqa.selenium.interactions.Actions(d).moveToElement(d.findElement(By.cssSelector("#plot .u-over"))).perform();
    assertThat(d.findElement(By.cssSelector(".u-legend .u-series:first-child .u-value")).getText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    shot(d, "plot");
  }

  private String figure(String key) {
    return d.findElement(By.cssSelector("[data-figure='" + key + "']")).getText();
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void editACoreControlAndSeeAValidationErrorInline() throws Exception {
    signIn("alice");
    d.get(fixture.uri("/clouds").toString());
    WebElement cores = d.findElement(By.name("coresCtl"));
    cores.clear();
    cores.sendKeys("-7");
    d.findElement(By.cssSelector("form.controls button")).click();
    WebElement error = new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.findElement(By.cssSelector(".field-error")));
    assertThat(error.getText()).contains("-1 for no limit");
    shot(d, "clouds-error");
    cores = d.findElement(By.name("coresCtl"));
    cores.clear();
    cores.sendKeys("40");
    d.findElement(By.cssSelector("form.controls button")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> !x.findElements(By.cssSelector("p.ok")).isEmpty());
    assertThat(d.findElement(By.name("coresCtl")).getAttribute("value")).isEqualTo("40");
    assertThat(fixture.store.config().orElseThrow().document()).as("the engine's configuration has the control").contains("40");
    shot(d, "clouds");
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void theConfigurationEditorShowsEveryProblemInlineAndSavesNothing() throws Exception {
    signIn("root");
    open("/config", "config");
    long before = fixture.store.config().orElseThrow().version();
    WebElement text = d.findElement(By.id("document"));
    String document = text.getAttribute("value");
    assertThat(document).contains("cloud-b");
    // an allocation to a cloud that is not configured: the validator names it, nothing is stored
    String broken = document.replaceFirst("cloud: cloud-b", "cloud: cloud-z");
    assertThat(broken).isNotEqualTo(document);
    ((JavascriptExecutor) d).executeScript("arguments[0].value = arguments[1];", text, broken);
    d.findElement(By.cssSelector("form.config button.primary")).click();
    WebElement problems = new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.findElement(By.id("problems")));
    assertThat(problems.getText()).contains("nothing was saved").contains("cloud-z");
    assertThat(d.findElement(By.id("document")).getAttribute("value")).as("the admin's text is kept to mend").contains("cloud: cloud-z");
    assertThat(fixture.store.config().orElseThrow().version()).isEqualTo(before);
    shot(d, "config-error");
    // the admin's other pages, as a person sees them
    open("/users", "users");
    assertThat(d.findElement(By.tagName("main")).getText()).contains("alice").contains("bob");
    open("/audit", "audit");
    assertThat(d.findElement(By.tagName("main")).getText()).as("the control alice set").contains("alice");
    open("/settings", "settings");
    open("/vms", "vms-admin");
    assertThat(d.findElement(By.id("vm-table")).getText()).contains("atlas").contains("belle");
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void theReservationCalendarShowsABooking() throws Exception {
    Fixture.Client alice = fixture.client("alice");
    HttpResponse<String> booked = alice.send("POST", "/api/v1/groups/atlas/reservations",
        "{\"cloud\":\"cloud-a\",\"cores\":4,\"ramMiB\":7000,\"count\":2,\"start\":\"2024-01-02T09:00:00Z\",\"end\":\"2024-01-02T18:00:00Z\"}");
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    signIn("alice");
    open("/reservations", "reservations");
    WebElement lane = d.findElement(By.cssSelector("table.calendar[data-cloud='cloud-a']"));
    assertThat(lane.findElement(By.cssSelector("td.bar")).getText()).contains("alice").contains("2×4 cores");
    assertThat(lane.findElement(By.cssSelector("td.peak")).getText()).isEqualTo("8");
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void aMemberSeesNothingOfAnotherGroup() throws Exception {
    signIn("bob");
    for (String page : List.of("/status", "/vms", "/clouds", "/reservations", "/settings")) {
      d.get(fixture.uri(page).toString());
      assertThat(d.getPageSource()).as(page).doesNotContain("atlas").doesNotContain("cloud-a");
    }
    open("/vms", "vms-other-group");
    assertThat(d.findElement(By.id("vm-table")).getText()).as("bob's own VMs").contains("belle");
    d.get(fixture.uri("/vms?group=atlas").toString());
    assertThat(d.findElement(By.id("vm-table")).getText()).contains("No VMs match");
    d.get(fixture.uri("/config").toString());
    assertThat(d.getPageSource()).contains("403").doesNotContain("cloud-a");
    shot(d, "other-group-refused");
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: its cycles run the atlas jobs out
  void retireAVmFromTheVmPageAndSeeItDrainAndGo() throws Exception {
    signIn("alice");
    open("/vms?group=atlas&state=running", "vms");
    String vm = d.findElement(By.cssSelector("#vm-table input[name='vm']")).getAttribute("value");
    d.findElement(By.cssSelector("input[name='vm'][value='" + vm + "']")).click();
    d.findElement(By.cssSelector("input[name='action'][value='retire']")).click();
    d.findElement(By.name("confirm")).click();
    d.findElement(By.cssSelector("fieldset.bulk button")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/vms/action"));
    assertThat(d.findElement(By.id("results")).getText()).contains(vm).contains("retire requested");
    shot(d, "vm-action");
    // the engine carries the intent out at its cycles: the VM page shows it drain, then it is gone
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (int i = 0; i < 40; i++) {
      cycles(1);
      d.get(fixture.uri("/vms?group=atlas").toString());
      List<WebElement> row = d.findElements(By.xpath("//tr[td/input[@value='" + vm + "']]//span[contains(@class,'state')]"));
      if (row.isEmpty()) {
        seen.add("gone");
        break;
      }
      if (seen.add(row.get(0).getText()) && row.get(0).getText().equals("retiring")) {
        shot(d, "vm-draining");
      }
    }
    assertThat(seen).as("the states the VM page showed after the retire").contains("retiring").endsWith("gone");
    d.get(fixture.uri("/vms?group=atlas&state=terminated").toString());
    assertThat(d.findElement(By.id("vm-table")).getText()).contains(vm);
  }
}
