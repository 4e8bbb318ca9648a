package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REC;

import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the child's own directory visible at its path under a read-only root, where it holds the
 * JVM's temp directory and the directory for published files.
 *
 * <p>A declared mount over one of its ancestors (a {@code @Tmpfs("/tmp")}, a {@code @Bind} onto
 * {@code /tmp}, an {@code @Overlay("/tmp")}) hides it. The JVM fixed {@code java.io.tmpdir} at
 * start, and the launcher writes published files by path, so writes would otherwise land in
 * whatever covers the path: in a bind's source, on the host. So the directory is pinned by an
 * {@code O_PATH} descriptor before the plan, and if hidden after it, an empty directory is made
 * at the path and the real one bound onto it, with its mounts. Made in a bind's source, that one
 * empty directory is on the host while the child lives; the parent removes it after.
 */
final class StagingPath {

  private final Path staging;
  private final int fd;

  private StagingPath(Path staging, int fd) {
    this.staging = staging;
    this.fd = fd;
  }

  /** Pins {@code staging}; call before the plan's mounts. */
  static StagingPath pin(Path staging) throws IOException {
    return new StagingPath(staging, Syscalls.openPath(staging.toString()));
  }

  /** Shows the pinned directory at its path again if a mount hid it; after the plan's mounts. */
  void restoreIfHidden() throws IOException {
    try {
      Path pinned = Path.of("/proc/self/fd/" + fd);
      if (!Files.isDirectory(staging) || !Files.isSameFile(staging, pinned)) {
        Files.createDirectories(staging);
        Syscalls.mount(pinned.toString(), staging.toString(), null, MS_BIND | MS_REC, null);
      }
    } finally {
      Syscalls.close(fd);
    }
  }
}
