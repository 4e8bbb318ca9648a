package dev.isolatedmounts.internal.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks declared mount targets against the host, where the child will find them as they are, so
 * a mount the kernel would refuse (a tmpfs on a file, a directory bound onto a file) fails before
 * any child starts, naming its declaration. A target below an earlier mount of the plan is left
 * to the child: there the host's path is hidden by then.
 */
final class HostTargets {

  private HostTargets() {}

  /**
   * @param ordered the plan's mounts in the order the child makes them, each with where it was
   *     declared
   */
  static void check(List<PlanReader.Declared> ordered) {
    List<PlanReader.Declared> earlier = new ArrayList<>();
    for (PlanReader.Declared declared : ordered) {
      Path target = Path.of(declared.spec().target());
      Path resolved = declared.mounted();
      PlanReader.Declared above = null; // the nearest earlier mount this one is below
      for (PlanReader.Declared each : earlier) {
        if (resolved.startsWith(each.mounted())
            && (above == null || each.mounted().startsWith(above.mounted()))) {
          above = each;
        }
      }
      if (declared.spec() instanceof OverlaySpec) {
        checkOverlay(target, declared, above);
      } else if (above == null) {
        if (declared.spec() instanceof TmpfsSpec) {
          check("@Tmpfs", "value", target, true, declared.where());
        } else if (declared.spec() instanceof BindSpec bind) {
          check("@Bind", "target", target, Files.isDirectory(Path.of(bind.source())),
              declared.where());
        }
      }
      earlier.add(declared);
    }
  }

  /**
   * An overlay shows a directory that exists where it is mounted: on the host, in the source of
   * a bind above it, or in the host directory an overlay above it shows; never in a fresh tmpfs.
   */
  private static void checkOverlay(Path target, PlanReader.Declared declared,
      PlanReader.Declared above) {
    String value = target.toString();
    if (above != null && above.spec() instanceof TmpfsSpec) {
      throw PathRules.invalid("@Overlay", "value", value, declared.where(), value + " is below "
          + above.spec().describe() + " (on " + above.where() + "), whose fresh, empty tmpfs has"
          + " no " + target + " to show: an overlay shows an existing directory copy-on-write;"
          + " drop the @Overlay and make what the test needs in the tmpfs, or overlay "
          + above.spec().target() + " instead of the tmpfs");
    }
    Path shown = target;
    String where = "";
    if (above != null && above.spec() instanceof BindSpec bind) {
      shown = Path.of(bind.source()).resolve(above.mounted().relativize(declared.mounted()));
      where = " (below " + above.spec().describe() + ", it is " + shown + " of the bind's source)";
    }
    if (!Files.isDirectory(shown)) {
      throw PathRules.invalid("@Overlay", "value", value, declared.where(), Files.exists(shown)
          ? overlayOfAFile(value) + where
          : "must be an existing host directory, but " + value + " does not exist" + where
              + "; an overlay shows a host directory copy-on-write, so for a new, empty directory"
              + " use @Tmpfs(\"" + value + "\") instead");
    }
    if (onProc(shown)) {
      throw PathRules.invalid("@Overlay", "value", value, declared.where(), "must not be on the"
          + " kernel's proc file system, but " + shown + " is: overlayfs does not stack on it;"
          + " @Bind a directory of your own onto " + value + ", or a file of your own onto each"
          + " entry the test reads");
    }
  }

  /** Why an overlay of the file {@code target} is refused, and what to do instead. */
  static String overlayOfAFile(String target) {
    String parent = target.substring(0, Math.max(1, target.lastIndexOf('/')));
    return "must be a directory, but " + target + " is a file; "
        + (parent.equals("/") ? "" : "overlay its directory, " + parent + ", or ")
        + "use @Bind for a single file";
  }

  private static void check(String annotation, String attribute, Path target,
      boolean directory, String where) {
    String problem = Files.exists(target) ? typeProblem(annotation, target, directory)
        : absenceProblem(target);
    if (problem != null) {
      throw PathRules.invalid(annotation, attribute, target.toString(), where, problem);
    }
  }

  static String typeProblem(String annotation, Path target, boolean directory) {
    if (Files.isDirectory(target) == directory) {
      return null;
    }
    if (annotation.equals("@Tmpfs")) {
      return "must be a directory, but " + target + " is not one; a tmpfs is mounted on a"
          + " directory: " + (target.getParent().getParent() == null ? ""
              : "mount it on " + target.getParent() + ", or ") + "@Bind a file of your own onto "
          + target;
    }
    return directory
        ? "must be a directory, since the source is one, but " + target + " is a file; a"
            + " directory is bound onto a directory: give a directory as the target, or a file"
            + " as the source"
        : "must be a file, since the source is one, but " + target + " is a directory; a file is"
            + " bound onto a file: give the path of a file in it, such as " + target.resolve("name")
            + ", or a directory as the source";
  }

  /** An absent target is made in the child, in its nearest existing ancestor. */
  private static String absenceProblem(Path target) {
    Path ancestor = ExistingAncestor.of(target);
    Path missing = ancestor.resolve(target.getName(ancestor.getNameCount()));
    if (Files.isSymbolicLink(missing)) {
      String to;
      try {
        to = Files.readSymbolicLink(missing).toString();
      } catch (IOException e) {
        to = "a path that does not exist";
      }
      return target + " cannot be made: " + missing + " is a symbolic link to " + to + ", which"
          + " does not exist, and a target is made inside the namespace only, never through a"
          + " link; create what the link names, or choose a target not below the link";
    }
    if (!Files.isDirectory(ancestor)) {
      return target + " cannot be made: " + ancestor + " is a file, not a directory; correct the"
          + " path";
    }
    if (!Files.isReadable(ancestor) || !Files.isExecutable(ancestor)) {
      // The child, the same user, could neither look for it nor make it: a bare
      // AccessDeniedException from the child, after its start, said less.
      return target + " cannot be reached: " + ancestor + " is not readable and searchable by"
          + " user " + System.getProperty("user.name") + ", who runs the tests, so whether "
          + target + " exists cannot be checked, nor can it be made there in the namespace;"
          + " choose a target elsewhere, or run the tests as a user who can read " + ancestor;
    }
    if (onProc(ancestor)) {
      return target + " does not exist, and cannot be made in " + ancestor + ", which is on the"
          + " kernel's proc file system (its entries are the kernel's, and change with the"
          + " processes): mount on an existing directory there, or choose a target outside /proc";
    }
    return null;
  }

  private static boolean onProc(Path directory) {
    try {
      return Files.getFileStore(directory).type().equals("proc");
    } catch (IOException e) {
      return false; // the child's own error will say what went wrong
    }
  }
}
