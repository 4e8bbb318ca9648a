package dev.isolatedmounts.sample.kvstore;

import static dev.isolatedmounts.sample.kvstore.KvStoreTest.fileNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

// Its own class: KvStoreTest already mounts a tmpfs at /var/lib/kvstore, and one target may be
// declared only once per test.
@IsolatedMounts
@Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
@DisplayName("KvStore on a full disk")
class KvStoreDiskFullTest {

  private static final Path DATA_DIR = Path.of("/var/lib/kvstore");

  /** Four times the 64k tmpfs, and well within the fixture's max.value.bytes of 1 MiB. */
  private static final byte[] TOO_BIG = new byte[256 * 1024];

  @Test
  @Tmpfs(value = "/var/lib/kvstore", size = "64k")
  @DisplayName("a value that does not fit fails with StoreFullException and leaves no partial file")
  void reportsFullDisk() throws IOException {
    KvStore store = KvStore.openDefault();

    assertThatExceptionOfType(StoreFullException.class)
        .isThrownBy(() -> store.put("big", TOO_BIG))
        .withMessageContaining("'big'")
        .withMessageContaining(String.valueOf(TOO_BIG.length))
        .satisfies(e -> assertThat(e.key()).isEqualTo("big"))
        .satisfies(e -> assertThat(e.valueSize()).isEqualTo(TOO_BIG.length))
        .havingCause()
        .isInstanceOf(IOException.class)
        .withMessageContaining("No space left on device");
    assertThat(fileNames(DATA_DIR)).isEmpty();
    assertThat(store.get("big")).isEmpty();
  }

  @Test
  @Tmpfs(value = "/var/lib/kvstore", size = "64k")
  @DisplayName("a replacement that does not fit keeps the previous value")
  void keepsPreviousValue() throws IOException {
    KvStore store = KvStore.openDefault();
    store.put("report", "v1");

    assertThatExceptionOfType(StoreFullException.class)
        .isThrownBy(() -> store.put("report", TOO_BIG));

    assertThat(store.getString("report")).contains("v1");
    assertThat(fileNames(DATA_DIR)).containsExactly("report");
  }
}
