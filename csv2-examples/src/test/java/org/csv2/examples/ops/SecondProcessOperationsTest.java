package org.csv2.examples.ops;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SecondProcessOperations} on one H2 file database. */
class SecondProcessOperationsTest {
  @Test
  @Timeout(120)
  void aSecondProcessOperatesOnTheEnginesH2Store(@TempDir Path dir) {
    SecondProcessOperations.run("jdbc:h2:file:" + dir.resolve("csv2").toAbsolutePath(), null, null);
  }
}
