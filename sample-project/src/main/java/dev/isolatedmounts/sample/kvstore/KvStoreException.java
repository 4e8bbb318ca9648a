package dev.isolatedmounts.sample.kvstore;

import java.io.IOException;

/**
 * A failure of the store that its callers can act on: a full or read-only data directory, or an
 * unusable configuration.
 *
 * <p>It is an {@link IOException}, so code that only cares that I/O failed need not know the
 * subtypes.
 */
public class KvStoreException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, naming the key or path involved
   * @param cause the underlying failure, or {@code null}
   */
  public KvStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
