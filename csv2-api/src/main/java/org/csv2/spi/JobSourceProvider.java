package org.csv2.spi;

/**
 * The entry point of a job source, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.JobSourceProvider} and selected by {@link #name()} from the {@code
 * job-source:} section.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once; {@link #create} is called once per engine.
 */
public interface JobSourceProvider extends PluginProvider {
  /**
   * Creates the job source.
   *
   * @param config the {@code job-source.config} subtree
   * @param context the engine's services
   * @return the job source
   * @throws org.csv2.api.ConfigurationException if the configuration is invalid
   */
  JobSource create(PluginConfig config, PluginContext context);
}
