package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

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
  @DisplayName("give a child the native library unpacked once and the library path found here")
  void both(@TempDir Path cache) throws Exception {
    List<String> options = JnaOptions.forChild(Optional.of(cache), List.of());

    String platform = System.getProperty("jna.platform.library.path");
    assertThat(platform).as("set by JNA when it loaded in this JVM").isNotBlank();
    assertThat(options).hasSize(2).contains("-Djna.platform.library.path=" + platform);
    String boot = options.stream().filter(o -> o.startsWith("-Djna.boot.library.path="))
        .findFirst().orElseThrow().substring("-Djna.boot.library.path=".length());
    assertThat(Path.of(boot)).startsWith(cache);
    assertThat(Files.list(Path.of(boot)).map(Path::getFileName).map(Path::toString).toList())
        .as("the unpacked library").contains(System.mapLibraryName("jnidispatch"));
  }

  @Test
  @DisplayName("leave out what the user set, and the unpacked library without a cache directory")
  void userChoicesWin() {
    assertThat(JnaOptions.forChild(Optional.empty(),
        List.of("-Djna.platform.library.path=/mine"))).isEmpty();
    assertThat(JnaOptions.forChild(Optional.of(Path.of("/unused")),
        List.of("-Djna.boot.library.path=/mine", "-Djna.platform.library.path=/mine"))).isEmpty();
  }
}
