package com.acme.good;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/** A third-party plugin that follows the rules: its provider is its only public class. */
public final class AcmeDriverProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "acme";
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    throw new AcmeSetup().refused(context.name());
  }
}
