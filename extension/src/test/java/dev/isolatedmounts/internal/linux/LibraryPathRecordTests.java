package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("LibraryPathRecord")
class LibraryPathRecordTests {

  @Test
  @DisplayName("gives back what was recorded, and replaces it whole")
  void roundTrip(@TempDir Path directory) throws Exception {
    Path file = LibraryPathRecord.file(directory);
    assertThat(LibraryPathRecord.read(file)).as("none yet").isEmpty();
    LibraryPathRecord.write(file, "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu");
    LibraryPathRecord.write(file, "/usr/lib:/lib");
    assertThat(LibraryPathRecord.read(file)).contains("/usr/lib:/lib");
    try (var entries = Files.list(directory)) {
      assertThat(entries).as("no partial file left").containsExactly(file);
    }
  }

  @Test
  @DisplayName("holds only while the system's library cache is unchanged")
  void stale(@TempDir Path directory) throws Exception {
    Path file = LibraryPathRecord.file(directory);
    LibraryPathRecord.write(file, "/usr/lib:/lib");
    String recorded = Files.readString(file);
    Files.writeString(file, recorded.replaceFirst("^[^\n]*", "ld.so.cache 1 2"));
    assertThat(LibraryPathRecord.read(file)).isEmpty();
    Files.writeString(file, "garbage");
    assertThat(LibraryPathRecord.read(file)).isEmpty();
  }

  @Test
  @DisplayName("is written by a child only when its parent asked")
  void onlyWhenAsked(@TempDir Path directory) {
    Path file = LibraryPathRecord.file(directory);
    Syscalls.geteuid(); // JNA loads, and sets the path it found, as in a child
    assertThat(System.getProperty("jna.platform.library.path")).isNotBlank();
    LibraryPathRecord.recordIfAsked();
    assertThat(file).doesNotExist();
    System.setProperty(LibraryPathRecord.PROPERTY, file.toString());
    try {
      LibraryPathRecord.recordIfAsked();
    } finally {
      System.clearProperty(LibraryPathRecord.PROPERTY);
    }
    assertThat(LibraryPathRecord.read(file))
        .contains(System.getProperty("jna.platform.library.path"));
  }
}
