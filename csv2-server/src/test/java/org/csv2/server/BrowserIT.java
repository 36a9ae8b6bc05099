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
import org.csv2.api.ops.IntentKind;
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
 * scripts/testenv). One server for the class; screenshots of each page go to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");

  private Fixture fixture;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    fixture = new Fixture();
    Files.createDirectories(SHOTS);
    profile = Files.createTempDirectory("csv2-chromium-");
  }

  @AfterAll
  void stop() {
    fixture.close();
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
      Views.StatusView truth = new World(fixture.store, null, null, java.time.Clock.systemUTC()).status(new Principal(fixture.store.user("alice").orElseThrow(), null));
      assertThat(d.findElement(By.cssSelector("[data-figure='jobs.idle:atlas']")).getText()).isEqualTo(String.valueOf(truth.jobs().get(0).idle()));
      assertThat(d.findElement(By.cssSelector("[data-figure='jobs.running:atlas']")).getText()).isEqualTo(String.valueOf(truth.jobs().get(0).running()));
      assertThat(d.findElement(By.cssSelector("[data-figure='vms:atlas:cloud-a']")).getText()).isEqualTo(String.valueOf(truth.clouds().get(0).vmTotal()));
      d.findElement(By.cssSelector("[data-figure='jobs.idle:atlas']")).click();
      new WebDriverWait(d, Duration.ofSeconds(15)).until(x -> !x.findElements(By.cssSelector("#plot canvas")).isEmpty());
      assertThat(d.findElements(By.cssSelector(".u-legend .u-series"))).as("legend: time plus two series").hasSizeGreaterThanOrEqualTo(3);
      shot(d, "plot");
    } finally {
      d.quit();
    }
  }

  @Test
  void retireAVmFromTheVmPage() throws Exception {
    WebDriver d = browser();
    try {
      signIn(d, "alice");
      d.get(fixture.uri("/vms").toString());
      shot(d, "vms");
      String vm = "atlas--cloud-a--t0c0ffee0--v0002";
      d.findElement(By.cssSelector("input[name='vm'][value='" + vm + "']")).click();
      d.findElement(By.cssSelector("input[name='action'][value='retire']")).click();
      d.findElement(By.name("confirm")).click();
      d.findElement(By.cssSelector("fieldset.bulk button")).click();
      new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/vms/action"));
      assertThat(d.findElement(By.id("results")).getText()).contains(vm).contains("retire requested");
      shot(d, "vm-action");
      assertThat(fixture.store.pendingIntents(List.of(Fixture.ATLAS)))
          .anySatisfy(i -> {
            assertThat(i.vm().value()).isEqualTo(vm);
            assertThat(i.kind()).isEqualTo(IntentKind.RETIRE);
          });
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
