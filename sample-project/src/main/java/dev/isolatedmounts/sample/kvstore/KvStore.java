package dev.isolatedmounts.sample.kvstore;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A key-value store that keeps each value in its own file, named after the key, in the data
 * directory of its {@link KvStoreConfig configuration}.
 *
 * <pre>{@code
 * KvStore store = KvStore.openDefault(); // reads /etc/kvstore/kvstore.conf
 * store.put("motd", "Maintenance at 22:00");
 * Optional<String> motd = store.getString("motd");
 * }</pre>
 *
 * <p>A {@link #put put} is atomic: readers see the old value or the new one, never a part of it,
 * also when the write fails. Keys are 1 to 128 characters of {@code A-Z a-z 0-9 . _ -} not
 * starting with {@code .}; any other key is rejected with an {@link IllegalArgumentException}
 * before the file system is touched. Instances hold no resources and are safe to share between
 * threads; concurrent puts of one key leave one of the values.
 */
public final class KvStore {

  /** The configuration file read by {@link #openDefault()}. */
  public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/kvstore/kvstore.conf");

  // Hidden (leading '.') and in the data directory itself: the rename into place must not cross
  // file systems to be atomic, and keys() must never list a half-written value.
  private static final String TEMP_PREFIX = ".put-";
  private static final String TEMP_SUFFIX = ".tmp";

  // The JDK reports errno only as its strerror(3) text: in FileSystemException.getReason() for
  // path operations, in the message of a plain IOException for write(2).
  private static final List<String> FULL = List.of("No space left on device", "Disk quota exceeded");
  private static final String READ_ONLY = "Read-only file system";

  private final KvStoreConfig config;

  private KvStore(KvStoreConfig config) {
    this.config = config;
  }

  /**
   * Opens the store configured in {@link #DEFAULT_CONFIG_FILE /etc/kvstore/kvstore.conf}.
   *
   * @return the store
   * @throws KvStoreConfigException if the configuration is missing or invalid, or its data
   *     directory does not exist
   */
  public static KvStore openDefault() throws KvStoreConfigException {
    return open(DEFAULT_CONFIG_FILE);
  }

  /**
   * Opens the store configured in the given file. The data directory must exist: creating it is
   * the installer's job, with the owner and permissions it needs.
   *
   * @param configFile the configuration file
   * @return the store
   * @throws KvStoreConfigException if the configuration is missing or invalid, or its data
   *     directory does not exist
   */
  public static KvStore open(Path configFile) throws KvStoreConfigException {
    KvStoreConfig config = KvStoreConfig.load(configFile);
    if (!Files.isDirectory(config.dataDir())) {
      throw new KvStoreConfigException(
          configFile, "data.dir " + config.dataDir() + " is not a directory", null);
    }
    return new KvStore(config);
  }

  /**
   * The configuration the store was opened with.
   *
   * @return the configuration
   */
  public KvStoreConfig config() {
    return config;
  }

  /**
   * Reads the value stored under a key.
   *
   * @param key the key
   * @return the value, or empty if the key is not stored
   * @throws IOException if the value file cannot be read
   */
  public Optional<byte[]> get(String key) throws IOException {
    Path file = fileOf(key);
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads the value stored under a key as UTF-8 text.
   *
   * @param key the key
   * @return the value, or empty if the key is not stored
   * @throws IOException if the value file cannot be read
   */
  public Optional<String> getString(String key) throws IOException {
    return get(key).map(bytes -> new String(bytes, UTF_8));
  }

  /**
   * Stores text, encoded as UTF-8, under a key; see {@link #put(String, byte[])}.
   *
   * @param key the key
   * @param value the value
   * @throws IOException as {@link #put(String, byte[])}
   */
  public void put(String key, String value) throws IOException {
    put(key, value.getBytes(UTF_8));
  }

  /**
   * Stores a value under a key, replacing any previous value atomically.
   *
   * @param key the key
   * @param value the value, at most {@link KvStoreConfig#maxValueBytes()} bytes
   * @throws StoreFullException if the file system is full; the store is then unchanged
   * @throws StoreReadOnlyException if the data directory is read-only
   * @throws IOException if writing fails otherwise
   * @throws IllegalArgumentException if the key is invalid or the value too large
   */
  public void put(String key, byte[] value) throws IOException {
    Path target = fileOf(key);
    if (value.length > config.maxValueBytes()) {
      throw new IllegalArgumentException(
          "Value of "
              + value.length
              + " bytes for key '"
              + key
              + "' exceeds max.value.bytes="
              + config.maxValueBytes());
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(config.dataDir(), TEMP_PREFIX, TEMP_SUFFIX);
      writeDurably(temp, value);
      // rename(2): replaces an existing value in one step, so no reader sees a partial file.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      IOException failure = failedPut(e, key, value.length);
      if (temp != null) {
        deleteLeftover(temp, failure);
      }
      throw failure;
    }
  }

  /**
   * Removes a key and its value.
   *
   * @param key the key
   * @return {@code true} if the key was stored, {@code false} if there was nothing to remove
   * @throws StoreReadOnlyException if the data directory is read-only
   * @throws IOException if removing fails otherwise
   */
  public boolean delete(String key) throws IOException {
    Path file = fileOf(key);
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw failedChange(e, key);
    }
  }

  /**
   * Lists the stored keys, in ascending order. Files in the data directory that cannot be keys,
   * such as the temporary files of a put in progress, are not listed.
   *
   * @return the keys
   * @throws IOException if the data directory cannot be listed
   */
  public List<String> keys() throws IOException {
    try (Stream<Path> files = Files.list(config.dataDir())) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> file.getFileName().toString())
          .filter(Keys::isValid)
          .sorted()
          .toList();
    }
  }

  private Path fileOf(String key) {
    return config.dataDir().resolve(Keys.requireValid(key));
  }

  private static void writeDurably(Path file, byte[] value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(value);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // Otherwise a crash after the rename could leave the key pointing at an empty file.
      channel.force(true);
    }
  }

  private IOException failedPut(IOException e, String key, long valueSize) {
    if (FULL.stream().anyMatch(text -> hasReason(e, text))) {
      return new StoreFullException(key, valueSize, config.dataDir(), e);
    }
    return failedChange(e, key);
  }

  private IOException failedChange(IOException e, String key) {
    if (hasReason(e, READ_ONLY)) {
      return new StoreReadOnlyException(key, config.dataDir(), e);
    }
    return e;
  }

  private static boolean hasReason(IOException e, String text) {
    String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    return reason != null && reason.contains(text);
  }

  private static void deleteLeftover(Path temp, IOException failure) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "KvStore[" + config.name() + " at " + config.dataDir() + "]";
  }
}
