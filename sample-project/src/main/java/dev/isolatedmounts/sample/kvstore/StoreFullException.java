package dev.isolatedmounts.sample.kvstore;

import java.nio.file.Path;

/**
 * A value could not be stored because the file system of the data directory is full (or the
 * user's quota is used up). The store is unchanged: no part of the value was kept, and a previous
 * value under the key is still there.
 */
public final class StoreFullException extends KvStoreException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final long valueSize;

  StoreFullException(String key, long valueSize, Path dataDir, Throwable cause) {
    super(
        "No space left in " + dataDir + " to store " + valueSize + " bytes under key '" + key + "'",
        cause);
    this.key = key;
    this.valueSize = valueSize;
  }

  /**
   * The key whose value did not fit.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The size of the value that did not fit.
   *
   * @return the size in bytes
   */
  public long valueSize() {
    return valueSize;
  }
}
