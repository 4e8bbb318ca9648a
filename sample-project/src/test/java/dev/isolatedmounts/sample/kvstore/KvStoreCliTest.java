package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.SystemExitException;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real {@code main}, System.exit and all: the exit becomes an exception to assert on. */
@IsolatedMounts(trapExit = true)
@Tmpfs("/var/lib/kvstore")
@Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
@DisplayName("The kvstore command's exit status")
class KvStoreCliTest {

  @Test
  @DisplayName("2 on a usage error")
  void usage() {
    assertThatThrownBy(() -> KvStoreCli.main(new String[] {"frobnicate"}))
        .isInstanceOfSatisfying(SystemExitException.class,
            e -> assertThat(e.status()).isEqualTo(2));
  }

  @Test
  @DisplayName("1 for a key that is not there, 0 once it is put")
  void getAndPut() throws IOException {
    assertThatThrownBy(() -> KvStoreCli.main(new String[] {"get", "greeting"}))
        .isInstanceOfSatisfying(SystemExitException.class,
            e -> assertThat(e.status()).isEqualTo(1));
    assertThatThrownBy(() -> KvStoreCli.main(new String[] {"put", "greeting", "hi"}))
        .isInstanceOfSatisfying(SystemExitException.class,
            e -> assertThat(e.status()).isZero());
    assertThat(KvStore.openDefault().getString("greeting")).contains("hi");
  }
}
