package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(Integer.MIN_VALUE)
@DisplayName("Before the suite")
class HostSnapshotTests {

  @Test
  @DisplayName("the fixtures' mount targets do not exist on the host; its state is recorded")
  void recordsTheHost() {
    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC)).doesNotExist();
    assertThat(Path.of(Fixtures.TOP)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC + ".conf")).doesNotExist();
    HostState.record();
  }
}
