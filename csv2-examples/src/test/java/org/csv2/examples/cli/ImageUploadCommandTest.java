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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code csv2 image upload --file} against a real {@code csv2 serve --quickstart --cycles 20}: the
 * file streamed to the server, the transfers it asked printed (PENDING: the world is still, so no
 * engine cycle takes them), then the refusals, in the golden transcript
 * {@code image-upload-transcript.txt}. Its own server, so that the transfers it makes do not
 * change the other image goldens.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ImageUploadCommandTest {
  static CliServer server;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.start(20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private final StringBuilder transcript = new StringBuilder();

  private CliServer.Result step(int exit, String... args) {
    CliServer.Result r = server.run(args);
    transcript.append("$ csv2 ").append(String.join(" ", args)).append('\n').append(r.out())
        .append(r.err().isEmpty() ? "" : "(stderr) " + r.err()).append("(exit ").append(r.exit()).append(")\n");
    assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    return r;
  }

  @Test
  void aFileIsUploadedAndItsTransfersPrintedThenTheRefusals() throws Exception {
    Path image = server.home.resolve("worker.img");
    Files.write(image, "a small image for the golden transcript\n".repeat(1000).getBytes(StandardCharsets.US_ASCII));
    String file = image.toString();
    step(0, "image", "upload", "--image", "worker-up", "--file", file, "--disk-format", "raw", "-cn", "cern,arbutus", "--width", "0");
    step(0, "image", "transfers", "--active", "--width", "0");
    step(1, "image", "upload", "--image", "worker-up", "--file", file, "-cn", "cern");
    step(1, "image", "upload", "--image", "worker-two", "--file", file, "--sha256", "0".repeat(64), "-cn", "cern");
    step(1, "image", "upload", "--image", "worker-two", "--file", file, "-cn", "nowhere");
    step(2, "image", "upload", "--image", "worker-two", "--file", file, "--url", "https://images.example.org/w.img", "-cn", "cern");
    step(2, "image", "upload", "--image", "worker-two", "--file", server.home.resolve("missing.img").toString(), "-cn", "cern");
    step(0, "image", "transfers", "--width", "0");
    server.golden("image-upload-transcript.txt", new CliServer.Result(0, transcript.toString(), ""));
  }
}
