package org.csv2.spi;

/**
 * The entry point of a planning policy, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.PlannerProvider} and selected by {@link #name()} from {@code
 * engine.policy}. The engine's own policies, {@code default} and {@code csv2-classic}, are
 * registered the same way.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once when the engine is built; {@link #create} is called when the
 * engine needs the policy (at build time and when a stored configuration names another policy).
 */
public interface PlannerProvider extends PluginProvider {
  /**
   * Creates the policy.
   *
   * @param context the engine's services ({@link PluginContext#name()} is {@code planner}); a
   *     policy must not read its clock (it plans from {@link PlanningView#now()})
   * @return the policy
   */
  PlanningPolicy create(PluginContext context);
}
