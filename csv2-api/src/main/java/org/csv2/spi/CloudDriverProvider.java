package org.csv2.spi;

/**
 * The entry point of a cloud driver, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.CloudDriverProvider} and selected by {@link #name()} from a
 * cloud's {@code driver:} key.
 *
 * <p>A provider is cheap: a public no-argument constructor, no I/O, no static initialiser that can
 * fail. Clients are created in {@link #create(PluginConfig, PluginContext)}.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once when the engine is built; {@link #create} is called once per
 * configured cloud that names it.
 */
public interface CloudDriverProvider extends PluginProvider {
  /**
   * Creates the driver of one cloud. Must not keep {@code config} or {@code context} beyond the
   * driver it returns. Should not call the cloud (the engine does that in its first cycle).
   *
   * @param config the cloud's {@code config:} subtree
   * @param context the engine's services; {@link PluginContext#name()} is the cloud's name
   * @return the driver
   * @throws org.csv2.api.ConfigurationException if the configuration is invalid, listing every
   *     problem
   */
  CloudDriver create(PluginConfig config, PluginContext context);
}
