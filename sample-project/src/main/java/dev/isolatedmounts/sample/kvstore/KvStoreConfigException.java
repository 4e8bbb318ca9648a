package dev.isolatedmounts.sample.kvstore;

import java.nio.file.Path;

/** The configuration file is missing, unreadable or holds an invalid value. */
public final class KvStoreConfigException extends KvStoreException {

  private static final long serialVersionUID = 1L;

  private final transient Path configFile;

  /**
   * Creates an exception.
   *
   * @param configFile the configuration file, named in the message
   * @param problem what is wrong with it
   * @param cause the underlying failure, or {@code null}
   */
  public KvStoreConfigException(Path configFile, String problem, Throwable cause) {
    super(configFile + ": " + problem, cause);
    this.configFile = configFile;
  }

  /**
   * The configuration file the store was opened with.
   *
   * @return the configuration file
   */
  public Path configFile() {
    return configFile;
  }
}
