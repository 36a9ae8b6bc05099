package com.acme.bad;

import java.time.Instant;
import org.csv2.core.archfixture.WallClockReader;

/** A third-party plugin that breaks two rules: a public non-provider class that uses the engine. */
public final class AcmeHelper {
  public Instant engineTime() {
    return WallClockReader.now();
  }
}
