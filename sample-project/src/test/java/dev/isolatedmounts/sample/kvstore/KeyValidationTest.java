package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.isolatedmounts.MountAssertions;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Not isolated: a store in a temporary directory is all key validation needs. */
@DisplayName("Key validation")
class KeyValidationTest {

  @TempDir Path tempDir;

  private Path dataDir;
  private KvStore store;

  @BeforeEach
  void openStoreInTempDir() throws IOException {
    dataDir = Files.createDirectory(tempDir.resolve("data"));
    Path configFile = tempDir.resolve("kvstore.conf");
    Properties config = new Properties();
    config.setProperty("data.dir", dataDir.toString());
    try (Writer writer = Files.newBufferedWriter(configFile)) {
      config.store(writer, null);
    }
    store = KvStore.open(configFile);
  }

  @ParameterizedTest(name = "accepts \"{0}\"")
  @ValueSource(strings = {"a", "0", "user-42", "v1.2_final", "UPPER.lower", "-leading-dash", "x."})
  @DisplayName("accepts letters, digits, '.', '_' and '-'")
  void acceptsValidKeys(String key) throws IOException {
    store.put(key, "value of " + key);

    assertThat(dataDir.resolve(key)).hasContent("value of " + key);
    assertThat(store.getString(key)).contains("value of " + key);
    assertThat(store.keys()).containsExactly(key);
    assertThat(store.delete(key)).isTrue();
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "../escaped",
        "a/b",
        "/etc/passwd",
        ".hidden",
        "with space",
        "tab\tkey",
        "new\nline",
        "back\\slash",
        "na\u00efve",
        "nul\0byte"
      })
  @DisplayName("rejects other keys in put, get and delete without touching the file system")
  void rejectsInvalidKeys(String key) throws IOException {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> store.put(key, "must not be written"))
        .withMessageStartingWith("Invalid key '" + key + "'");
    assertThatIllegalArgumentException().isThrownBy(() -> store.get(key));
    assertThatIllegalArgumentException().isThrownBy(() -> store.delete(key));

    assertThat(fileNames(tempDir)).containsExactly("data", "kvstore.conf");
    assertThat(fileNames(dataDir)).isEmpty();
  }

  @Test
  @DisplayName("accepts 128 characters, rejects 129")
  void limitsLength() throws IOException {
    String longest = "k".repeat(128);

    store.put(longest, "fits");

    assertThat(store.getString(longest)).contains("fits");
    assertThatIllegalArgumentException().isThrownBy(() -> store.put(longest + "k", "too long"));
    assertThat(store.keys()).containsExactly(longest);
  }

  @Test
  @DisplayName("rejects a null key")
  void rejectsNull() {
    assertThatNullPointerException().isThrownBy(() -> store.get(null)).withMessage("key");
  }

  @Test
  @DisplayName("keys skips files that cannot be keys, such as a leftover temporary file")
  void keysSkipsNonKeys() throws IOException {
    Files.writeString(dataDir.resolve(".put-123.tmp"), "half-written");
    Files.createDirectory(dataDir.resolve("subdir"));
    store.put("real", "value");

    assertThat(store.keys()).containsExactly("real");
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @DisplayName("runs on the host, where /var/lib/kvstore is no mount point (plain tests see the host)")
  void hostHasNoStoreMount() {
    MountAssertions.assertThat(Path.of("/var/lib/kvstore")).isNotMountPoint();
  }
}
