package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JnaOptions")
class JnaOptionsTests {

  private static final String PLATFORM = "-Djna.platform.library.path=";

  @BeforeEach
  @AfterEach
  void forget() {
    JnaOptions.forget();
  }

  @Test
  @DisplayName("give a child the native library unpacked once, and the library path known here")
  void both(@TempDir Path cache) throws Exception {
    List<String> options = JnaOptions.forChild(Optional.of(cache), List.of(),
        Optional.of("/usr/lib:/lib"));

    assertThat(options).hasSize(2).contains(PLATFORM + "/usr/lib:/lib");
    Path boot = Path.of(value(options, "-Djna.boot.library.path="));
    assertThat(boot).startsWith(cache);
    String name = System.mapLibraryName("jnidispatch");
    byte[] bundled;
    try (InputStream in = Native.class.getResourceAsStream(
        "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name)) {
      bundled = in.readAllBytes();
    }
    assertThat(boot.resolve(name)).as("the unpacked library").hasBinaryContent(bundled);
    CRC32 crc = new CRC32();
    crc.update(bundled);
    assertThat(boot.getFileName().toString()).as("named by the library, not a JNA version")
        .isEqualTo("jna-" + Platform.RESOURCE_PREFIX + "-" + Long.toHexString(crc.getValue())
            + "-" + bundled.length);
  }

  @Test
  @DisplayName("give the children after the first the library path it told, and record it for"
      + " later runs")
  void learned(@TempDir Path cache) throws Exception {
    assumeTrue(Files.exists(LibraryPathRecord.LD_SO_CACHE), "records need the library cache");
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .as("the first child").noneMatch(option -> option.startsWith(PLATFORM));

    JnaOptions.learn(Optional.of(cache), List.of(), "/usr/lib:/lib");
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .as("the next").contains(PLATFORM + "/usr/lib:/lib");

    JnaOptions.forget(); // a later run
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .as("a later run's first child").contains(PLATFORM + "/usr/lib:/lib");
    JnaOptions.forget();
    assertThat(JnaOptions.forChild(Optional.empty(), List.of(), Optional.empty()))
        .as("a later run without the cache directory").isEmpty();
  }

  @Test
  @DisplayName("record the path a child tells even when an earlier child without a cache"
      + " directory (the archive's training) told it first")
  void recordedAfterTraining(@TempDir Path cache) {
    assumeTrue(Files.exists(LibraryPathRecord.LD_SO_CACHE), "records need the library cache");
    JnaOptions.learn(Optional.empty(), List.of(), "/usr/lib:/lib");
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .contains(PLATFORM + "/usr/lib:/lib");
    JnaOptions.learn(Optional.of(cache), List.of(), "/usr/lib:/lib"); // it echoes what it got

    JnaOptions.forget(); // a later run
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .contains(PLATFORM + "/usr/lib:/lib");
  }

  @Test
  @DisplayName("learn nothing from a child given a library path of the user's")
  void notTheUsers(@TempDir Path cache) {
    List<String> users = List.of(PLATFORM + "/mine");
    JnaOptions.learn(Optional.of(cache), users, "/mine");
    JnaOptions.learn(Optional.of(cache), List.of(), "");
    assertThat(JnaOptions.forChild(Optional.of(cache), List.of(), Optional.empty()))
        .noneMatch(option -> option.startsWith(PLATFORM));
  }

  @Test
  @DisplayName("leave out what the user set, unpacking nothing then, and the unpacked library"
      + " without a cache directory")
  void userChoicesWin(@TempDir Path cache) throws Exception {
    assertThat(JnaOptions.forChild(Optional.empty(), List.of(PLATFORM + "/mine"))).isEmpty();
    assertThat(JnaOptions.forChild(Optional.of(cache),
        List.of("-Djna.boot.library.path=/mine", PLATFORM + "/mine"))).isEmpty();
    try (var entries = Files.list(cache)) {
      assertThat(entries).as("the cache directory").isEmpty();
    }
  }

  private static String value(List<String> options, String prefix) {
    return options.stream().filter(option -> option.startsWith(prefix)).findFirst()
        .orElseThrow().substring(prefix.length());
  }
}
