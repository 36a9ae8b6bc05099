package org.csv2.api;

import java.util.Objects;

/** A state store could not read or write. */
public final class StateStoreException extends Csv2Exception {
  /** Why. */
  public enum Reason {
    /** An optimistic-lock version did not match: somebody else wrote first. Re-read and retry. */
    CONFLICT(true),
    /** The store could not be reached. */
    UNAVAILABLE(true),
    /** Stored data cannot be read back. */
    CORRUPT(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether this reason is transient.
     *
     * @return true if a later try may succeed
     */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what
   */
  public StateStoreException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what
   * @param cause the underlying exception
   */
  public StateStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  @Override
  public boolean retryable() {
    return reason.retryable();
  }
}
