package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.linux.MountEntry;
import dev.isolatedmounts.internal.linux.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ReadOnlyRoot remounts read-only")
class ReadOnlyRootTests {

  private static final MountTable TABLE = MountTable.parse(String.join("\n",
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
      "28 27 0:5 / /proc rw,nosuid,nodev,noexec - proc proc rw",
      "29 28 0:6 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw",
      "30 27 0:7 / /sys rw,nosuid - sysfs sysfs rw",
      "31 27 0:8 / /dev rw,nosuid - devtmpfs udev rw",
      "32 31 0:9 / /dev/shm rw,nosuid,nodev - tmpfs tmpfs rw",
      "33 31 0:10 / /dev/pts rw - devpts devpts rw",
      "34 27 254:1 / /home rw,relatime - ext4 /dev/vdb rw",
      "40 27 0:40 / /var/lib/app rw,nosuid,nodev - tmpfs isolated-mounts rw",
      "41 40 254:0 /data /var/lib/app/data rw - ext4 /dev/vda rw",
      "42 27 0:41 / /tmp/isolated-mounts-1/tmp rw - tmpfs isolated-mounts rw",
      "50 27 0:50 / /mnt rw - tmpfs old rw",
      "51 27 0:51 / /mnt rw - tmpfs new rw"));

  @Test
  @DisplayName("every visible mount but /proc, /sys, /dev/shm, /dev/pts and the writable ones")
  void remountable() {
    List<String> points = ReadOnlyRoot.remountable(TABLE,
            List.of(Path.of("/var/lib/app"), Path.of("/tmp/isolated-mounts-1/tmp")))
        .stream().map(MountEntry::mountPoint).toList();

    assertThat(points).containsExactly("/", "/dev", "/home", "/mnt");
    assertThat(ReadOnlyRoot.remountable(TABLE, List.of()).stream()
        .filter(e -> e.mountPoint().equals("/mnt")).map(MountEntry::source))
        .as("of two mounts stacked at one point, only the visible one")
        .containsExactly("new");
  }

  @Test
  @DisplayName("compares the writable paths resolved, as the mount table names mount points")
  void realPaths(@TempDir Path directory) throws IOException {
    Path real = Files.createDirectories(directory.resolve("real/tmp"));
    Path link = Files.createSymbolicLink(directory.resolve("link"), directory.resolve("real"));
    Path absent = directory.resolve("absent");

    assertThat(ReadOnlyRoot.realPaths(List.of(link.resolve("tmp"), absent)))
        .containsExactly(real.toRealPath(), absent);
  }
}
