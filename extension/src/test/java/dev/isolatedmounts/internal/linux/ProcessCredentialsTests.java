package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ProcessCredentials")
class ProcessCredentialsTests {

  @Test
  @DisplayName("read the effective uid, the second of the Uid: line")
  void effective() {
    assertThat(ProcessCredentials.effectiveUid("Name:\tjava\nUmask:\t0022\nState:\tS\n"
        + "Uid:\t1000\t65534\t1000\t65534\nGid:\t1000\t1000\t1000\t1000\n")).isEqualTo(65534);
    assertThatIllegalArgumentException().isThrownBy(() ->
        ProcessCredentials.effectiveUid("Name:\tjava\n"));
  }

  @Test
  @DisplayName("say of this JVM what geteuid(2) says")
  void asLibcSays() {
    assertThat(ProcessCredentials.effectiveUid()).isEqualTo(Syscalls.geteuid());
  }
}
