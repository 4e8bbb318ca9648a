package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The cache directory in the shared temp directory")
class PrivateCacheDirectoryTests {

  private static final int UID = Syscalls.geteuid();

  @Test
  @DisplayName("is made for this user alone")
  void made(@TempDir Path temp) throws IOException {
    Path directory = PrivateCacheDirectory.in(temp, UID).orElseThrow();

    assertThat(directory).isEqualTo(temp.resolve("isolated-mounts-cache-" + UID));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    assertThat(PrivateCacheDirectory.in(temp, UID)).as("the next run's").contains(directory);
  }

  @Test
  @DisplayName("is taken as an earlier run left it, if no one else may write to it")
  void earlier(@TempDir Path temp) throws IOException {
    Path directory = Files.createDirectory(temp.resolve("isolated-mounts-cache-" + UID));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(PrivateCacheDirectory.in(temp, UID)).contains(directory);
  }

  @Test
  @DisplayName("is not used if others may write to it: they could have planted a library")
  void writableByOthers(@TempDir Path temp) throws IOException {
    Path directory = Files.createDirectory(temp.resolve("isolated-mounts-cache-" + UID));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(PrivateCacheDirectory.in(temp, UID)).isEmpty();

    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxr-x"));
    assertThat(PrivateCacheDirectory.in(temp, UID)).isEmpty();
  }

  @Test
  @DisplayName("is not used if it is a link, wherever it points")
  void link(@TempDir Path temp) throws IOException {
    Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(temp.resolve("isolated-mounts-cache-" + UID), elsewhere);

    assertThat(PrivateCacheDirectory.in(temp, UID)).isEmpty();
  }

  @Test
  @DisplayName("is not used if it is someone else's")
  void someoneElses(@TempDir Path temp) throws IOException {
    Path directory = Files.createDirectory(temp.resolve("isolated-mounts-cache-" + UID));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    if (UID == 0) {
      Files.setAttribute(directory, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
      assertThat(PrivateCacheDirectory.in(temp, UID)).isEmpty();
    } else {
      // Only root can give a directory away: this user's is someone else's to root.
      Files.move(directory, temp.resolve("isolated-mounts-cache-0"));
      assertThat(PrivateCacheDirectory.in(temp, 0)).isEmpty();
    }
  }

  @Test
  @DisplayName("is not used in a temp directory others may write to without the sticky bit")
  void notSticky(@TempDir Path temp) throws IOException {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setAttribute(open, "unix:mode", 0777);
    assertThat(PrivateCacheDirectory.in(open, UID)).isEmpty();

    Files.setAttribute(open, "unix:mode", 01777); // as /tmp
    assertThat(PrivateCacheDirectory.in(open, UID)).isPresent();
  }

  @Test
  @DisplayName("is not used if it is a file")
  void file(@TempDir Path temp) throws IOException {
    Files.writeString(temp.resolve("isolated-mounts-cache-" + UID), "");

    assertThat(PrivateCacheDirectory.in(temp, UID)).isEmpty();
  }
}
