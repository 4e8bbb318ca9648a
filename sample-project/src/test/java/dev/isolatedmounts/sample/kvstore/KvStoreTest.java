package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.MountAssertions;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@IsolatedMounts
@Tmpfs(value = "/var/lib/kvstore", size = "4m", mode = "0700")
@Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
@DisplayName("KvStore at its real paths")
class KvStoreTest {

  private static final Path DATA_DIR = Path.of("/var/lib/kvstore");
  private static final Path CONFIG_DIR = Path.of("/etc/kvstore");

  @BeforeEach
  void seedDataDir() throws IOException {
    // Runs in the test's child JVM, after the mounts are made: this lands in the tmpfs.
    Files.writeString(DATA_DIR.resolve("greeting"), "hello");
  }

  @Test
  @DisplayName("starts from the configuration in /etc/kvstore/kvstore.conf")
  void startsFromConfig() throws IOException {
    KvStore store = KvStore.openDefault();

    assertThat(store.config()).isEqualTo(new KvStoreConfig("sample", DATA_DIR, 1_048_576));
    assertThat(store.getString("greeting")).contains("hello");
  }

  @Test
  @DisplayName("put writes the value to a file named after the key, get reads it back")
  void putThenGet() throws IOException {
    KvStore store = KvStore.openDefault();

    store.put("answer", "42");

    assertThat(DATA_DIR.resolve("answer")).hasContent("42");
    assertThat(store.getString("answer")).contains("42");
    assertThat(store.get("never-stored")).isEmpty();
  }

  @Test
  @DisplayName("put replaces a value and leaves no temporary file behind")
  void putReplaces() throws IOException {
    KvStore store = KvStore.openDefault();

    store.put("greeting", "hello again");

    assertThat(store.getString("greeting")).contains("hello again");
    assertThat(fileNames(DATA_DIR)).containsExactly("greeting");
  }

  @Test
  @DisplayName("delete removes the file, and reports whether there was one")
  void putThenDelete() throws IOException {
    KvStore store = KvStore.openDefault();
    store.put("doomed", "soon gone");

    assertThat(store.delete("doomed")).isTrue();

    assertThat(DATA_DIR.resolve("doomed")).doesNotExist();
    assertThat(store.get("doomed")).isEmpty();
    assertThat(store.delete("doomed")).isFalse();
    assertThat(store.keys()).containsExactly("greeting");
  }

  @Test
  @DisplayName("keys lists every stored key in order")
  void keysInOrder() throws IOException {
    KvStore store = KvStore.openDefault();

    store.put("zebra", "z");
    store.put("apple", "a");

    assertThat(store.keys()).containsExactly("apple", "greeting", "zebra");
  }

  @Test
  @DisplayName("enforces max.value.bytes from the configuration, not the default")
  void enforcesConfiguredValueLimit() throws IOException {
    KvStore store = KvStore.openDefault();
    byte[] overDefault = new byte[KvStoreConfig.DEFAULT_MAX_VALUE_BYTES + 1];
    byte[] overConfigured = new byte[1_048_576 + 1];

    store.put("large", overDefault);

    assertThat(store.get("large")).hasValueSatisfying(v -> assertThat(v).isEqualTo(overDefault));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> store.put("too-large", overConfigured))
        .withMessageContaining("too-large")
        .withMessageContaining("max.value.bytes=1048576");
    assertThat(DATA_DIR.resolve("too-large")).doesNotExist();
  }

  @ParameterizedTest(name = "invocation {0} sees only the seed")
  @ValueSource(ints = {1, 2, 3})
  @DisplayName("each invocation starts from a fresh tmpfs")
  void freshTmpfsPerInvocation(int invocation) throws IOException {
    // Each invocation leaves a key behind; a later one would see it if the tmpfs were shared.
    assertThat(fileNames(DATA_DIR)).containsExactly("greeting");

    KvStore.openDefault().put("left-by-" + invocation, "x");

    assertThat(fileNames(DATA_DIR)).containsExactly("greeting", "left-by-" + invocation);
  }

  @Test
  @DisplayName("the tmpfs root has the declared mode 0700")
  void tmpfsMode() throws IOException {
    assertThat(Files.getPosixFilePermissions(DATA_DIR))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  @DisplayName("the fixture configuration cannot be changed")
  void configIsReadOnly() {
    Path stray = CONFIG_DIR.resolve("x");

    assertThatIOException()
        .isThrownBy(() -> Files.writeString(stray, "must not land in src/test/fixtures"))
        .withMessageContaining("Read-only file system");
    assertThat(stray).doesNotExist();
  }

  @Nested
  @DisplayName("in a nested class")
  class InANestedClass {

    @Test
    @DisplayName("the enclosing class's tmpfs and read-only bind are in place")
    void inheritsMounts() throws IOException {
      MountAssertions.assertThat(DATA_DIR).isMountPoint().hasFilesystemType("tmpfs")
          .isWritable().hasMountOption("size=4096k").hasMountOption("mode=700");
      MountAssertions.assertThat(CONFIG_DIR).isMountPoint().isReadOnly();
      MountAssertions.assertThat(CONFIG_DIR.resolve("kvstore.conf")).isReadOnly();
      assertThat(DATA_DIR.resolve("greeting")).hasContent("hello");
    }

    @Test
    @DisplayName("a reopened store sees what an earlier one stored")
    void reopenSeesStoredValues() throws IOException {
      KvStore.openDefault().put("durable", "still here");

      KvStore reopened = KvStore.openDefault();

      assertThat(reopened.getString("durable")).contains("still here");
      assertThat(reopened.keys()).containsExactly("durable", "greeting");
    }
  }

  static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
