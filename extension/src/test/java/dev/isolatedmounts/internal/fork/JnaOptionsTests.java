package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.linux.LibraryPathRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JnaOptions")
class JnaOptionsTests {

  @Test
  @DisplayName("give a child the native library unpacked once, and the library path known here")
  void both(@TempDir Path cache) throws Exception {
    List<String> options = JnaOptions.forChild(Optional.of(cache), List.of(),
        Optional.of("/usr/lib:/lib"));

    assertThat(options).hasSize(2).contains("-Djna.platform.library.path=/usr/lib:/lib");
    Path boot = Path.of(value(options, "-Djna.boot.library.path="));
    assertThat(boot).startsWith(cache);
    assertThat(Files.list(boot).map(Path::getFileName).map(Path::toString).toList())
        .as("the unpacked library").contains(System.mapLibraryName("jnidispatch"));
  }

  @Test
  @DisplayName("ask the first child to record the library path JNA finds, and tell the next")
  void recorded(@TempDir Path cache) throws Exception {
    List<String> first = JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty());
    Path record = Path.of(value(first, "-D" + LibraryPathRecord.PROPERTY + "="));
    assertThat(first).noneMatch(option -> option.startsWith("-Djna.platform.library.path="));
    assertThat(record.getParent()).isEqualTo(
        Path.of(value(first, "-Djna.boot.library.path=")));

    // What the first child does once JNA has loaded in it (LibraryPathRecordTests).
    LibraryPathRecord.write(record, "/usr/lib:/lib");
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .contains("-Djna.platform.library.path=/usr/lib:/lib")
        .noneMatch(option -> option.startsWith("-D" + LibraryPathRecord.PROPERTY));
  }

  @Test
  @DisplayName("leave out what the user set, and the unpacked library without a cache directory")
  void userChoicesWin() {
    assertThat(JnaOptions.forChild(Optional.empty(),
        List.of("-Djna.platform.library.path=/mine"))).isEmpty();
    assertThat(JnaOptions.forChild(Optional.of(Path.of("/unused")),
        List.of("-Djna.boot.library.path=/mine", "-Djna.platform.library.path=/mine"))).isEmpty();
    assertThat(JnaOptions.forChild(Optional.empty(), List.of(), Optional.empty()))
        .as("nowhere to record it: each child asks JNA").isEmpty();
  }

  private static String value(List<String> options, String prefix) {
    return options.stream().filter(option -> option.startsWith(prefix)).findFirst()
        .orElseThrow().substring(prefix.length());
  }
}
