package dev.isolatedmounts.sample.kvstore;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * The settings of a store, as read from a {@link Properties} file such as
 * {@code /etc/kvstore/kvstore.conf}:
 *
 * <pre>
 * name=inventory
 * data.dir=/var/lib/kvstore
 * max.value.bytes=1048576
 * </pre>
 *
 * @param name a name for the store, used in logs and tools; {@value #DEFAULT_NAME} by default
 * @param dataDir the absolute directory holding one file per key; {@value #DEFAULT_DATA_DIR} by
 *     default
 * @param maxValueBytes the largest value accepted, in bytes; {@value #DEFAULT_MAX_VALUE_BYTES} by
 *     default
 */
public record KvStoreConfig(String name, Path dataDir, int maxValueBytes) {

  /** The default of {@code name}. */
  public static final String DEFAULT_NAME = "kvstore";

  /** The default of {@code data.dir}. */
  public static final String DEFAULT_DATA_DIR = "/var/lib/kvstore";

  /** The default of {@code max.value.bytes}. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 65_536;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException if {@code dataDir} is relative or {@code maxValueBytes} is not
   *     positive
   */
  public KvStoreConfig {
    Objects.requireNonNull(name, "name");
    if (!dataDir.isAbsolute()) {
      throw new IllegalArgumentException("data.dir must be an absolute path but was: " + dataDir);
    }
    if (maxValueBytes <= 0) {
      throw new IllegalArgumentException(
          "max.value.bytes must be a positive number of bytes but was: " + maxValueBytes);
    }
  }

  /**
   * Reads the settings from a properties file (UTF-8); absent keys take their defaults.
   *
   * @param configFile the file to read
   * @return the settings
   * @throws KvStoreConfigException if the file is missing or unreadable, or a value is invalid;
   *     the message names the file
   */
  public static KvStoreConfig load(Path configFile) throws KvStoreConfigException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(configFile, UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new KvStoreConfigException(configFile, "configuration file not found", e);
    } catch (IOException | IllegalArgumentException e) { // the latter: a malformed \\uXXXX escape
      throw new KvStoreConfigException(configFile, "cannot read configuration: " + e, e);
    }
    String maxValueBytes =
        properties.getProperty("max.value.bytes", String.valueOf(DEFAULT_MAX_VALUE_BYTES)).strip();
    try {
      return new KvStoreConfig(
          properties.getProperty("name", DEFAULT_NAME).strip(),
          Path.of(properties.getProperty("data.dir", DEFAULT_DATA_DIR).strip()),
          parseBytes(maxValueBytes));
    } catch (InvalidPathException e) {
      throw new KvStoreConfigException(configFile, "data.dir is not a valid path: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new KvStoreConfigException(configFile, e.getMessage(), e);
    }
  }

  private static int parseBytes(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "max.value.bytes must be a positive number of bytes but was: " + value, e);
    }
  }
}
