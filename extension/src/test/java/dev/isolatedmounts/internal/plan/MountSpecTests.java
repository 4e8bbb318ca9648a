package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Mount specs")
class MountSpecTests {

  @Test
  @DisplayName("hash as their targets do, so equal specs hash alike, whatever else differs")
  void hashCodes() {
    List<MountSpec> specs = List.of(new TmpfsSpec("/var/lib/x", "4m", 0700),
        new BindSpec("/srv/data", "/var/lib/x", true), new OverlaySpec("/var/lib/x"));
    for (MountSpec spec : specs) {
      assertThat(spec.hashCode()).isEqualTo("/var/lib/x".hashCode());
    }
    assertThat(new TmpfsSpec("/a", "", 0755)).isEqualTo(new TmpfsSpec("/a", "", 0755))
        .hasSameHashCodeAs(new TmpfsSpec("/a", "", 0755))
        .isNotEqualTo(new TmpfsSpec("/a", "1m", 0755));
    assertThat(new BindSpec("/s", "/t", false)).isNotEqualTo(new BindSpec("/s", "/t", true));
  }
}
