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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's headless chromium driven by Selenium (packages installed by
 * scripts/testenv). One server for the class, with an engine in the same process on a simulated
 * world whose cycles the tests run (a virtual clock: nothing depends on timing). Screenshots of each
 * page go to target/screenshots. The drain test runs last: its cycles finish the atlas jobs.
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
  }

  @AfterAll
  void stop() {
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

  private WebDriver browser() {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(new File("/usr/bin/chromium"));
    o.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1000", "--user-data-dir=" + profile.resolve(String.valueOf(System.nanoTime())));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return d;
  }

  private void signIn(WebDriver d, String user) {
    d.get(fixture.uri("/login").toString());
    d.findElement(By.name("name")).sendKeys(user);
    d.findElement(By.name("password")).sendKeys(Fixture.PASSWORD);
    d.findElement(By.cssSelector("button.primary")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/status"));
  }

  private static void shot(WebDriver d, String name) throws Exception {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void statusNumbersAreTheEnginesAndAPlotOpens() throws Exception {
    WebDriver d = browser();
    try {
      signIn(d, "alice");
      shot(d, "status");
      // the engine's own figures: its last status snapshot of the group
      org.csv2.api.ops.GroupStatus truth = fixture.store.statuses().stream().filter(g -> g.group().equals(Fixture.ATLAS)).findFirst().orElseThrow();
      org.csv2.api.ops.GroupStatus.JobCounts jobs = truth.jobs().stream().filter(j -> j.alias() == null).findFirst().orElseThrow();
      org.csv2.api.ops.GroupStatus.CloudFigures cloud = truth.clouds().get(0);
      assertThat(jobs.running()).as("the world runs jobs").isPositive();
      assertThat(d.findElement(By.cssSelector("[data-figure='jobs.idle:atlas']")).getText()).isEqualTo(String.valueOf(jobs.idle()));
      assertThat(d.findElement(By.cssSelector("[data-figure='jobs.running:atlas']")).getText()).isEqualTo(String.valueOf(jobs.running()));
      assertThat(d.findElement(By.cssSelector("[data-figure='vms.running:atlas:cloud-a']")).getText())
          .isEqualTo(String.valueOf(cloud.vmsByState().getOrDefault(org.csv2.model.VmState.RUNNING, 0)));
      assertThat(d.findElement(By.cssSelector("[data-figure='cores.used:atlas:cloud-a']")).getText()).isEqualTo(String.valueOf(cloud.cores().used()));
      assertThat(d.findElement(By.cssSelector("[data-figure='cores.foreign:atlas:cloud-a']")).getText()).isEqualTo("6");
      assertThat(d.findElement(By.cssSelector("[data-figure='cores.quota:atlas:cloud-a']")).getText()).isEqualTo("40");
      d.findElement(By.cssSelector("[data-figure='jobs.idle:atlas']")).click();
      new WebDriverWait(d, Duration.ofSeconds(15)).until(x -> !x.findElements(By.cssSelector("#plot canvas")).isEmpty());
      assertThat(d.findElements(By.cssSelector(".u-legend .u-series"))).as("legend: time plus the job states").hasSizeGreaterThanOrEqualTo(3);
      // uPlot draws its axes on the canvas; the legend names the time under the cursor as a UTC date and time
      new org.openqa.selenium.interactions.Actions(d).moveToElement(d.findElement(By.cssSelector("#plot .u-over"))).perform();
      assertThat(d.findElement(By.cssSelector(".u-legend .u-series:first-child .u-value")).getText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
      shot(d, "plot");
    } finally {
      d.quit();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: its cycles run the atlas jobs out
  void retireAVmFromTheVmPageAndSeeItDrainAndGo() throws Exception {
    WebDriver d = browser();
    try {
      signIn(d, "alice");
      d.get(fixture.uri("/vms?group=atlas&state=running").toString());
      shot(d, "vms");
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
    } finally {
      d.quit();
    }
  }

  @Test
  void editACoreControlAndSeeAValidationErrorInline() throws Exception {
    WebDriver d = browser();
    try {
      signIn(d, "alice");
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
      shot(d, "clouds");
    } finally {
      d.quit();
    }
  }

  @Test
  void aMemberSeesNothingOfAnotherGroup() throws Exception {
    WebDriver d = browser();
    try {
      signIn(d, "bob");
      for (String page : List.of("/status", "/vms", "/clouds", "/settings")) {
        d.get(fixture.uri(page).toString());
        assertThat(d.getPageSource()).as(page).doesNotContain("atlas").doesNotContain("cloud-a");
      }
      d.get(fixture.uri("/vms?group=atlas").toString());
      assertThat(d.findElement(By.id("vm-table")).getText()).contains("No VMs match");
      shot(d, "other-group");
    } finally {
      d.quit();
    }
  }
}
