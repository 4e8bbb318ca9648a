package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(Integer.MAX_VALUE)
@DisplayName("After the suite")
class HostUnchangedTests {

  @Test
  @DisplayName("the host's mount table and the watched directories are exactly as before")
  void hostIsUnchanged() {
    HostState before = HostState.recorded();
    assumeThat(before).as("snapshot from HostSnapshotTests (run the whole suite)").isNotNull();

    HostState after = HostState.now();

    assertThat(after.mountinfo()).isEqualTo(before.mountinfo());
    assertThat(after.listings()).isEqualTo(before.listings());
    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC)).doesNotExist();
    assertThat(Path.of(Fixtures.TOP)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC + ".conf")).doesNotExist();
  }

  @Test
  @DisplayName("no child JVM is left running")
  void noChildLeft() {
    assertThat(ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("ChildMain")))
        .isEmpty();
  }
}
