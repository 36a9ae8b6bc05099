package org.csv2.spi;

/**
 * The entry point of a state store, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.StateStoreProvider} and selected by {@link #name()} from the
 * {@code state-store:} section.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once; {@link #create} is called once per engine.
 */
public interface StateStoreProvider extends PluginProvider {
  /**
   * Creates the store; migrating its schema is allowed here.
   *
   * @param config the {@code state-store.config} subtree
   * @param context the engine's services
   * @return the store
   * @throws org.csv2.api.ConfigurationException if the configuration is invalid
   * @throws org.csv2.api.StateStoreException if the store cannot be reached
   */
  StateStore create(PluginConfig config, PluginContext context);
}
