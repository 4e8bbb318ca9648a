package dev.isolatedmounts.sample.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.isolatedmounts.Tmpfs;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

// An empty tmpfs hides whatever /etc/kvstore the host has, so the outcome does not depend on it.
@Tmpfs("/etc/kvstore")
@DisplayName("KvStore without a configuration")
class KvStoreWithoutConfigTest {

  @Test
  @DisplayName("openDefault fails naming /etc/kvstore/kvstore.conf")
  void namesMissingConfig() {
    assertThatExceptionOfType(KvStoreConfigException.class)
        .isThrownBy(KvStore::openDefault)
        .withMessageStartingWith("/etc/kvstore/kvstore.conf: ")
        .withMessageContaining("not found")
        .satisfies(e -> assertThat(e.configFile()).isEqualTo(Path.of("/etc/kvstore/kvstore.conf")))
        .withCauseInstanceOf(NoSuchFileException.class);
  }
}
