package dev.isolatedmounts.sample.kvstore;

import java.nio.file.Path;

/**
 * A change was refused because the data directory is on a read-only file system. Reads still
 * work.
 */
public final class StoreReadOnlyException extends KvStoreException {

  private static final long serialVersionUID = 1L;

  private final String key;

  StoreReadOnlyException(String key, Path dataDir, Throwable cause) {
    super("Cannot change key '" + key + "': data directory " + dataDir + " is read-only", cause);
    this.key = key;
  }

  /**
   * The key that could not be changed.
   *
   * @return the key
   */
  public String key() {
    return key;
  }
}
