package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ProcessStatus")
class ProcessStatusTests {

  private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS\n"
      + "Uid:\t1000\t65534\t1000\t65534\nGid:\t1000\t1000\t1000\t1000\nNoNewPrivs:\t0\n"
      + "Seccomp:\t2\nSeccomp_filters:\t1\n";

  @Test
  @DisplayName("read the effective uid, the second of the Uid: line")
  void effective() {
    assertThat(ProcessStatus.effectiveUid(STATUS)).contains(65534);
    assertThat(ProcessStatus.effectiveUid("Name:\tjava\n")).isEmpty();
  }

  @Test
  @DisplayName("read a field by its whole name, not one that starts with it")
  void field() {
    assertThat(ProcessStatus.field(STATUS, "Seccomp")).contains("2");
    assertThat(ProcessStatus.field(STATUS, "Seccomp_filters")).contains("1");
    assertThat(ProcessStatus.field(STATUS, "Cpus_allowed")).isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName("say of this JVM what geteuid(2) says")
  void asLibcSays() {
    assertThat(ProcessStatus.effectiveUid()).isEqualTo(Syscalls.geteuid());
  }
}
