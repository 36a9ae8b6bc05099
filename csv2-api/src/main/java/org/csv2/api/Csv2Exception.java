package org.csv2.api;

/**
 * The root of every exception csv2 and its plugins throw. Unchecked.
 *
 * <p>Each subclass carries a reason enum; {@link #retryable()} follows from the reason. Plugins
 * throw these types and never retry by themselves; the engine alone decides to retry.
 */
public abstract class Csv2Exception extends RuntimeException {
  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the cloud, VM, job or config path, and the fix
   * @param cause the underlying exception, or null
   */
  protected Csv2Exception(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  protected Csv2Exception(String message) {
    super(message);
  }

  /**
   * Whether trying the same thing again later may succeed.
   *
   * @return true for transient failures
   */
  public abstract boolean retryable();
}
