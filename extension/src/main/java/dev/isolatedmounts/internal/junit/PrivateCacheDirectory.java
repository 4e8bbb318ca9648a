package dev.isolatedmounts.internal.junit;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The cache directory in the shared temp directory, for runs outside a build directory. What is
 * in it runs in every child (JNA's native library) or is mapped into it (the archive), and its
 * name can be guessed: another user who made it first could plant a library there. So it is
 * used only if it is a directory of this user's that no one else can write to, made so (mode
 * 0700) when it is new; else children start without a cache.
 */
final class PrivateCacheDirectory {

  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PrivateCacheDirectory() {}

  /** {@code temp/isolated-mounts-cache-UID}, if it is this user's alone. */
  static Optional<Path> in(Path temp, int uid) {
    Path directory = temp.resolve("isolated-mounts-cache-" + uid);
    try {
      // In a directory others may write to, only the sticky bit (as /tmp has) stops them from
      // moving this one away after the check and putting theirs in its place.
      int mode = (Integer) Files.getAttribute(temp, "unix:mode");
      if ((mode & 0022) != 0 && (mode & 01000) == 0) {
        return Optional.empty();
      }
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return Optional.empty();
    }
    try {
      Files.createDirectory(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // made by an earlier run, or by someone else: checked below
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    try {
      // Not followed: a link planted in its place would point wherever its maker chose.
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
          || ((Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS))
              != uid
          || Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS).stream()
              .anyMatch(OTHERS_WRITE::contains)) {
        return Optional.empty();
      }
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return Optional.empty();
    }
    return Optional.of(directory);
  }
}
