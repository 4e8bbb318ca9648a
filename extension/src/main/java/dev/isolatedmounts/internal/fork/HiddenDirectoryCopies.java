package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a read-only root's child may make on the host: when a writable {@code @Bind}
 * onto an ancestor of the child's directory ({@code /tmp}) hides it, the child makes an empty
 * directory at its path, in the bind's source, to show the real one there again. Those that did
 * not exist before the child got its plan are removed after it ends, if still empty.
 */
final class HiddenDirectoryCopies {

  private final List<Path> absentBefore;

  private HiddenDirectoryCopies(List<Path> absentBefore) {
    this.absentBefore = absentBefore;
  }

  /** Looks, before the child gets {@code plan}, for the paths it might make. */
  static HiddenDirectoryCopies before(MountPlan plan, Path childDirectory) {
    List<Path> absent = new ArrayList<>();
    if (!plan.readOnlyRoot()) {
      return new HiddenDirectoryCopies(absent);
    }
    // As the child sees them: it mounts on a target's real path.
    Path child = real(childDirectory);
    for (var spec : plan.mounts()) {
      if (spec instanceof BindSpec bind && !bind.readOnly()) {
        Path target = real(Path.of(bind.target()));
        if (child.startsWith(target) && !child.equals(target)) {
          Path source = Path.of(bind.source());
          Path copy = source.resolve(target.relativize(child));
          // Deepest first, up to the first that exists: those are what createDirectories makes.
          for (Path path = copy; path != null && path.startsWith(source) && !path.equals(source)
              && !Files.exists(path, LinkOption.NOFOLLOW_LINKS); path = path.getParent()) {
            absent.add(path);
          }
        }
      }
    }
    return new HiddenDirectoryCopies(absent);
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path; // absent: made inside the namespace, where no link leads elsewhere
    }
  }

  /** Removes those of the paths that are now empty directories; after the child ended. */
  void remove() {
    for (Path path : absentBefore) {
      try {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(path);
        }
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // something else put a file there, or removed it first: not ours to remove
      } catch (IOException e) {
        System.err.println("[isolated-mounts] Could not remove " + path + ", a directory the child"
            + " JVM made to show its own directory again under a read-only root: " + e);
      }
    }
  }
}
