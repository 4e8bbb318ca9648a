package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@IsolatedMounts
@Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
@Bind(
    source = "src/test/fixtures/var-lib-kvstore-snapshot",
    target = "/var/lib/kvstore",
    readOnly = true)
@DisplayName("KvStore on a read-only snapshot")
class KvStoreReadOnlyDataTest {

  @Test
  @DisplayName("reads the snapshot")
  void readsSnapshot() throws IOException {
    KvStore store = KvStore.openDefault();

    assertThat(store.keys()).containsExactly("greeting", "motd");
    assertThat(store.getString("greeting")).contains("hello from the snapshot");
    assertThat(store.getString("motd")).contains("Maintenance at 22:00");
  }

  @Test
  @DisplayName("put fails with StoreReadOnlyException")
  void putIsRefused() throws IOException {
    KvStore store = KvStore.openDefault();

    assertThatExceptionOfType(StoreReadOnlyException.class)
        .isThrownBy(() -> store.put("greeting", "overwritten"))
        .withMessageContaining("'greeting'")
        .withMessageContaining("/var/lib/kvstore")
        .satisfies(e -> assertThat(e.key()).isEqualTo("greeting"))
        .havingCause()
        .withMessageContaining("Read-only file system");
    assertThat(store.getString("greeting")).contains("hello from the snapshot");
    assertThat(store.keys()).containsExactly("greeting", "motd");
  }

  @Test
  @DisplayName("delete fails with StoreReadOnlyException and keeps the value")
  void deleteIsRefused() throws IOException {
    KvStore store = KvStore.openDefault();

    assertThatExceptionOfType(StoreReadOnlyException.class)
        .isThrownBy(() -> store.delete("motd"))
        .withMessageContaining("'motd'");
    assertThat(store.getString("motd")).contains("Maintenance at 22:00");
  }
}
