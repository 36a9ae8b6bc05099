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

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.model.CloudName;
import org.csv2.model.Image;
import org.junit.jupiter.api.Test;

/**
 * The images page: the matrix of the caller's clouds only, transfers with their progress as an
 * HTML progress bar, actions, every cloud-given text escaped, and the nav linking it.
 */
class ImagePagesTest {
  static final CloudName A = CloudName.of("cloud-a");
  static final CloudName B = CloudName.of("cloud-b");

  @Test
  void membersSeeTheirCloudsOnlyWithProgressAndEverythingEscaped() throws Exception {
    try (Fixture f = new Fixture()) {
      Instant now = Instant.parse("2026-12-05T10:00:00Z");
      String hostile = "<script>alert(1)</script>";
      f.store.saveCloudImages(A, List.of(new Image("ia-1", "alma9"), new Image("ia-\"2", hostile)), now);
      f.store.saveCloudImages(B, List.of(new Image("ib-1", "alma9"), new Image("ib-2", "belle-secret")), now);
      f.store.saveCloudImage(new CloudImage(A, "ia-1", "alma9", "d".repeat(64), 3L << 30, now));
      ImageTransfer t = f.store.saveTransfer(ImageTransfer.fromUrl("alma9", java.net.URI.create("https://example.org/a.img"), null, A,
          "qcow2", "root", now));
      f.store.saveTransfer(t.start("engine-1", now).identified("e".repeat(64), 4L << 30, "uploading to cloud-a", now)
          .progress(1L << 30, "uploading to cloud-a", now.plusSeconds(64)));
      f.store.saveTransfer(ImageTransfer.fromUrl("secret", java.net.URI.create("https://example.org/s.img"), null, B, "qcow2", "root", now));
      f.store.saveImageAction(org.csv2.api.ops.ImageAction.of(org.csv2.api.ops.ImageAction.Kind.DELETE_IMAGE, B, "belle-secret", "ib-2",
          null, "root", now));

      // on a cloud two groups share, another group's key copy and replication name that group: not shown to her
      f.store.saveImageAction(org.csv2.api.ops.ImageAction.of(org.csv2.api.ops.ImageAction.Kind.IMPORT_KEY_PAIR, A, "belle-key", null,
          Fixture.BELLE, "root", now));
      f.store.saveTransfer(ImageTransfer.fromCloud("belle-worker", Fixture.BELLE, A, "ia-1", A, "qcow2", "replication", now));

      Fixture.Client alice = f.client("alice");
      assertThat(alice.get("/api/v1/images/actions").body()).doesNotContain("belle");
      HttpResponse<String> page = alice.get("/images");
      assertThat(page.statusCode()).isEqualTo(200);
      String html = page.body();
      assertThat(html).contains("<a href=\"/images\" class=\"on\">Images</a>");
      assertThat(html).contains("<th title=\"atlas · read 2026-12-05 10:00:00 UTC\">cloud-a</th>");
      assertThat(html).contains("✓ ia-1").contains("sha256 " + "d".repeat(64) + " 3.0 GiB");
      assertThat(html).as("cloud text escaped").doesNotContain(hostile).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .contains("ia-&quot;2");
      assertThat(html).contains("<progress value=\"1073741824\" max=\"4294967296\">")
          .contains("1.0 GiB of 4.0 GiB (25%)").contains("16.0 MiB/s").contains("3 min 12 s");
      assertThat(html).as("nothing of belle's cloud").doesNotContain("cloud-b").doesNotContain("belle").doesNotContain("secret");
      assertThat(html).as("the table of actions is empty for her").contains("<td colspan=\"7\" class=\"empty\">None.");

      Fixture.Client root = f.client("root");
      String all = root.get("/images").body();
      assertThat(all).contains("cloud-b").contains("belle-secret").contains("delete image").contains("https://example.org/s.img");
      assertThat(root.get("/images?group=belle").body()).contains("cloud-b").doesNotContain(">cloud-a<");
      assertThat(alice.get("/images?group=belle").statusCode()).isEqualTo(404);
    }
  }
}
