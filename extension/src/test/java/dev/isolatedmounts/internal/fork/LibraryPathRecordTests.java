package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("LibraryPathRecord")
class LibraryPathRecordTests {

  @Test
  @DisplayName("gives back what was recorded, and replaces it whole")
  void roundTrip(@TempDir Path directory) throws Exception {
    Path cache = Files.writeString(directory.resolve("ld.so.cache"), "libraries");
    Path file = LibraryPathRecord.file(directory);
    assertThat(LibraryPathRecord.read(file, cache)).as("none yet").isEmpty();
    LibraryPathRecord.write(file, "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu", cache);
    LibraryPathRecord.write(file, "/usr/lib:/lib", cache);
    assertThat(LibraryPathRecord.read(file, cache)).contains("/usr/lib:/lib");
    try (var entries = Files.list(directory)) {
      assertThat(entries).as("no partial file left").containsExactlyInAnyOrder(file, cache);
    }
  }

  @Test
  @DisplayName("holds only while the system's library cache is the same file, unchanged")
  void stale(@TempDir Path directory) throws Exception {
    Path cache = Files.writeString(directory.resolve("ld.so.cache"), "libraries");
    Path file = LibraryPathRecord.file(directory);
    LibraryPathRecord.write(file, "/usr/lib:/lib", cache);
    assertThat(LibraryPathRecord.read(file, cache)).contains("/usr/lib:/lib");

    Files.setLastModifiedTime(cache, FileTime.fromMillis(0)); // ldconfig rewrote it
    assertThat(LibraryPathRecord.read(file, cache)).isEmpty();
    LibraryPathRecord.write(file, "/usr/lib:/lib", cache);
    Files.writeString(cache, "more libraries");
    assertThat(LibraryPathRecord.read(file, cache)).isEmpty();

    Files.writeString(file, "garbage");
    assertThat(LibraryPathRecord.read(file, cache)).isEmpty();
  }

  @Test
  @DisplayName("is neither written nor read where there is no library cache")
  void withoutLibraryCache(@TempDir Path directory) throws Exception {
    Path none = directory.resolve("no-ld.so.cache");
    Path file = LibraryPathRecord.file(directory);
    LibraryPathRecord.write(file, "/usr/lib:/lib", none);
    assertThat(file).doesNotExist();
    LibraryPathRecord.write(file, "/usr/lib:/lib");
    assertThat(LibraryPathRecord.read(file, none)).isEmpty();
  }
}
