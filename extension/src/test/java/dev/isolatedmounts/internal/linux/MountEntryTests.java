package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountEntryTests {

  private static MountEntry entry(List<String> mountOptions, List<String> optionalFields) {
    return new MountEntry(30, 20, "0:30", "/", "/var/lib/app", mountOptions, optionalFields,
        "tmpfs", "tmpfs", List.of("ro", "size=4096k", "mode=700"));
  }

  @Nested
  @DisplayName("propagation")
  class Propagation {

    @ParameterizedTest(name = "reports {1} when the optional fields are \"{0}\"")
    @CsvSource(delimiter = '|', value = {
      "''                             | private",
      "shared:1                       | shared",
      "master:2                       | master",
      "master:2 propagate_from:5      | master",
      "shared:3 master:2              | shared,master",
      "unbindable                     | unbindable",
      "future:1                       | private"
    })
    void propagation(String fields, String expected) {
      List<String> optional = fields.isEmpty() ? List.of() : List.of(fields.split(" "));

      assertThat(entry(List.of("rw"), optional).propagation()).isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("options")
  class Options {

    @Test
    @DisplayName("reports read-only when the per-mount options say ro")
    void readOnly() {
      assertThat(entry(List.of("ro", "nosuid"), List.of()).readOnly()).isTrue();
    }

    @Test
    @DisplayName("reports writable when the per-mount options say rw, whatever the superblock")
    void writable() {
      MountEntry entry = entry(List.of("rw", "nosuid"), List.of());

      assertThat(entry.readOnly()).isFalse();
      assertThat(entry.hasSuperOption("ro")).isTrue();
    }

    @Test
    @DisplayName("reports mount and super options by whole option")
    void wholeOptions() {
      MountEntry entry = entry(List.of("rw", "nosuid"), List.of());

      assertThat(entry.hasMountOption("nosuid")).isTrue();
      assertThat(entry.hasMountOption("nosu")).isFalse();
      assertThat(entry.hasSuperOption("size=4096k")).isTrue();
      assertThat(entry.hasSuperOption("size")).isFalse();
    }
  }

  @Test
  @DisplayName("reports unmodifiable copies of the lists it was given")
  void copies() {
    List<String> options = new java.util.ArrayList<>(List.of("rw"));
    MountEntry entry = entry(options, List.of());

    options.add("ro");

    assertThat(entry.mountOptions()).containsExactly("rw");
  }
}
