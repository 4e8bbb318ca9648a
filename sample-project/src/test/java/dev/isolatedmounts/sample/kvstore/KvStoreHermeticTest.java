package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store writes nowhere but its data directory: everything else is read-only here. The config
 * is written into the host's real /etc, seen copy-on-write, so the host's /etc never changes.
 */
@IsolatedMounts(readOnlyRoot = true, keepOnFailure = true)
@Tmpfs(value = "/var/lib/kvstore", size = "4m")
@Overlay("/etc")
@DisplayName("KvStore, hermetic: read-only root, /etc copy-on-write")
class KvStoreHermeticTest {

  @BeforeEach
  void installConfig() throws IOException {
    Files.createDirectories(Path.of("/etc/kvstore"));
    Files.copy(Path.of("src/test/fixtures/etc-kvstore/kvstore.conf"), KvStore.DEFAULT_CONFIG_FILE);
  }

  @Test
  @DisplayName("puts and gets within its data directory")
  void writesOnlyItsDataDirectory() throws IOException {
    KvStore store = KvStore.openDefault();

    store.put("greeting", "hello");

    assertThat(store.getString("greeting")).contains("hello");
    assertThat(Path.of("/var/lib/kvstore/greeting")).exists();
  }

  @Test
  @DisplayName("a write outside the declared mounts fails at once")
  void undeclaredWriteFails() {
    assertThatThrownBy(() -> Files.writeString(Path.of("/var/log/kvstore.log"), "x"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("Read-only file system");
  }

  @Test
  @DisplayName("the host's /etc shows through, with the test's config on top")
  void hostEtcShowsThrough() throws IOException {
    assertThat(Path.of("/etc/os-release")).exists();
    assertThat(KvStore.openDefault().config().name()).isEqualTo("sample");
  }
}
