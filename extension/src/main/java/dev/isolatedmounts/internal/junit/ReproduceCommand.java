package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.fork.ShellWord;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.ExistingAncestor;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One shell line that rebuilds a test's namespace by hand, for debugging a failure: the
 * {@code unshare} command, then {@code mount(8)} commands for the plan, the kept files copied back
 * in (an overlay's deleted files deleted again), and a shell inside. It uses {@code --map-root-user} where the test ran unprivileged, since
 * {@code mount(8)} wants uid 0. A target absent in the namespace is made as the extension makes
 * it: directly on a tmpfs of the command's own, else its nearest existing directory is covered
 * with a tmpfs whose entries are bound back from the covered one (reached through a bind of it in
 * an empty temporary directory, removed after); where it would be, which mounts the command has
 * made so far say ({@link #ensure}). Where that directory is {@code /}, a new root is built
 * ({@link #coverRoot}). Left out: a read-only root. Every {@code mount} and {@code umount} runs
 * with {@code -n}: util-linux would otherwise keep its records of them in {@code /run/mount},
 * outside the namespace, and make that directory on a host whose {@code /run} is no tmpfs.
 */
final class ReproduceCommand {

  private ReproduceCommand() {}

  static String of(MountPlan plan, Path kept, boolean root) {
    List<String> steps = new ArrayList<>();
    if (plan.propagation() == Propagation.SHARED) {
      steps.add("mount -n --make-rshared /");
    }
    List<Made> made = new ArrayList<>();
    List<String> readOnlyAgain = new ArrayList<>();
    for (MountSpec spec : plan.mounts()) {
      String target = spec.target();
      boolean file = spec instanceof BindSpec bind && !Files.isDirectory(Path.of(bind.source()));
      ensure(Path.of(target), file, made, steps, readOnlyAgain);
      if (spec instanceof TmpfsSpec tmpfs) {
        steps.add("mount -n -t tmpfs -o " + tmpfs.mountData() + " isolated-mounts "
            + quote(target));
        Path copy = kept.resolve("tmpfs" + target);
        if (Files.isDirectory(copy)) {
          steps.add("cp -a " + quote(copy + "/.") + " " + quote(target));
        }
        made.add(new Made(Path.of(target), Kind.OWN, null, false));
      } else if (spec instanceof BindSpec bind) {
        steps.add("mount -n --bind " + quote(bind.source()) + " " + quote(target));
        made.add(new Made(Path.of(target), Kind.BIND, Path.of(bind.source()), bind.readOnly()));
        if (bind.readOnly()) {
          steps.add("mount -n -o remount,bind,ro " + quote(target));
        }
      } else if (spec instanceof OverlaySpec) {
        Path copy = kept.resolve("overlay" + target);
        steps.add("d=$(mktemp -d) && mount -n -t tmpfs isolated-mounts \"$d\" && mkdir \"$d/u\""
            + " \"$d/w\"" + (Files.isDirectory(copy) ? " && cp -a " + quote(copy + "/.")
            + " \"$d/u\"" : ""));
        steps.add("mount -n -t overlay overlay -o lowerdir=" + quote(target)
            + ",upperdir=\"$d/u\",workdir=\"$d/w\"" + (root ? "" : ",userxattr") + " "
            + quote(target));
        // The overlay holds its layers' tmpfs: the temporary directory leaves no trace.
        steps.add("umount -n -l \"$d\" && rmdir \"$d\"");
        Path opaque = kept.resolve("overlay" + target + ".opaque");
        if (Files.isRegularFile(opaque)) {
          steps.add(madeAgain(target, copy, opaque));
        }
        Path deleted = kept.resolve("overlay" + target + ".deleted");
        if (Files.isRegularFile(deleted)) {
          steps.add(deletedAgain(target, deleted));
        }
        made.add(new Made(Path.of(target), Kind.OWN, null, false));
      }
    }
    steps.addAll(readOnlyAgain);
    if (plan.propagation() == Propagation.UNBINDABLE) {
      steps.add("mount -n --make-runbindable /");
    }
    steps.add("exec \"${SHELL:-sh}\"");
    return "unshare " + (root ? "" : "--user --map-root-user ") + "--mount --propagation "
        + (plan.propagation() == Propagation.SLAVE ? "slave" : "private") + " sh -c "
        + quote(String.join(" && ", steps));
  }

  /**
   * The step that deletes, in the merged view of the overlay on {@code target}, what the test
   * deleted there, as the file {@code deleted} lists it: the overlay records each deletion in
   * its layer again. A line each (a name with a line break in it is not replayed); one that
   * cannot be deleted is said on stderr, and the shell still opens.
   */
  static String deletedAgain(String target, Path deleted) {
    return forEachLine(deleted, "rm -rf -- " + quote(target) + "/\"$e\"");
  }

  /**
   * The step that hides, in the overlay on {@code target}, the host's entries of each directory
   * the test deleted and made again, as the file {@code opaque} lists them: such a directory is
   * deleted in the merged view and copied back from {@code copy}, which the overlay marks opaque
   * again. (The kept copy is plain files: it cannot carry the mark itself.) A line each, as
   * {@link #deletedAgain} reads them.
   */
  static String madeAgain(String target, Path copy, Path opaque) {
    return forEachLine(opaque, "rm -rf -- " + quote(target) + "/\"$e\" && cp -a -- "
        + quote(copy.toString()) + "/\"$e\" " + quote(target) + "/\"$e\"");
  }

  /**
   * Runs {@code step} with {@code $e} set to each non-empty line of {@code list}; a step that
   * fails is said on stderr, and the shell still opens.
   */
  private static String forEachLine(Path list, String step) {
    return "while IFS= read -r e; do if [ -n \"$e\" ]; then " + step + " || :; fi; done < "
        + quote(list.toString());
  }

  /** What a mount the command has made means for a path below it. */
  private enum Kind {
    /** A tmpfs of the plan, or an overlay: what is made below it goes to a tmpfs. */
    OWN,
    /** A covered host directory: a tmpfs, with the host's entries bound back. */
    COVERED,
    /** A bind of the plan: below it are the source's files, on the host. */
    BIND
  }

  private record Made(Path point, Kind kind, Path source, boolean readOnly) {}

  /**
   * Adds the steps that make {@code target} (a directory, or a file) in the namespace as the
   * command has built it so far, where it does not exist there: directly where that is on a tmpfs
   * of the command's own, else in the tmpfs that covers its nearest existing directory, never on
   * the host (nor in a bind's source). A directory of a read-only bind, covered, is made read-only
   * again once all targets are made ({@code readOnlyAgain}), as the extension does.
   */
  private static void ensure(Path target, boolean file, List<Made> made, List<String> steps,
      List<String> readOnlyAgain) {
    Made under = null;
    for (Made mount : made) {
      if (target.startsWith(mount.point()) && !target.equals(mount.point())
          && (under == null || mount.point().startsWith(under.point()))) {
        under = mount;
      }
    }
    Path host = target;
    if (under != null && under.kind() == Kind.BIND) {
      host = under.source().resolve(under.point().relativize(target).toString());
    } else if (under != null && (under.kind() == Kind.OWN || !Files.exists(under.point()
        .resolve(under.point().relativize(target).getName(0)), LinkOption.NOFOLLOW_LINKS))) {
      steps.add(make(target, file)); // on our own tmpfs: made directly
      return;
    }
    if (Files.exists(host)) {
      return;
    }
    Path ancestor = ExistingAncestor.of(host);
    if (under != null && under.kind() == Kind.BIND) {
      ancestor = under.point().resolve(under.source().relativize(ancestor).toString());
      if (under.readOnly()) {
        readOnlyAgain.add("mount -n -o remount,bind,ro " + quote(ancestor.toString()));
      }
    }
    steps.add(ancestor.getParent() == null ? coverRoot() : cover(ancestor.toString()));
    made.add(new Made(ancestor, Kind.COVERED, null, false));
    steps.add(make(target, file));
  }

  private static String make(Path target, boolean file) {
    return file ? "mkdir -p " + quote(target.getParent().toString()) + " && touch "
        + quote(target.toString()) : "mkdir -p " + quote(target.toString());
  }

  /**
   * Covers {@code directory} with a tmpfs and binds each of its entries back (links copied), as
   * the extension does, so a missing path can be made in it.
   */
  private static String cover(String directory) {
    String d = quote(directory);
    return "o=$(mktemp -d) && mount -n --rbind " + d + " \"$o\""
        + " && mount -n -t tmpfs isolated-mounts " + d + " && " + bindEntries("\"$o\"/", d + "/")
        // The binds back hold on their own: the temporary directory leaves no trace on the host.
        + " && umount -n -l \"$o\" && rmdir \"$o\"";
  }

  /**
   * A loop that makes each entry of the directory {@code from} (a shell word ending in a slash)
   * in {@code into} (likewise): a link copied, a directory or file bound with what is mounted
   * below it.
   */
  private static String bindEntries(String from, String into) {
    return "for e in " + from + "* " + from + ".[!.]* " + from + "..?*; do"
        + " { [ -e \"$e\" ] || [ -L \"$e\" ]; } || continue; n=" + into + "\"${e##*/}\";"
        + " if [ -L \"$e\" ]; then cp -P \"$e\" \"$n\";"
        + " elif [ -d \"$e\" ]; then mkdir \"$n\" && mount -n --rbind \"$e\" \"$n\";"
        + " else touch \"$n\" && mount -n --bind \"$e\" \"$n\"; fi; done";
  }

  /**
   * Builds a new root as {@link #cover} covers a directory, on a tmpfs in a temporary directory,
   * and makes it the root with {@code pivot_root} (a tmpfs mounted over {@code /} would not be
   * seen); the old root is detached, and the temporary directory, which the new root shows
   * through its bind of the host's temp directory, removed. The shell returns to its directory.
   */
  private static String coverRoot() {
    return "w=$(pwd) && r=$(mktemp -d) && mount -n -t tmpfs -o mode=0755 isolated-mounts \"$r\""
        + " && " + bindEntries("/", "\"$r\"/")
        + " && cd \"$r\" && mkdir .old && pivot_root . .old && cd / && umount -n -l /.old"
        + " && rmdir /.old && umount -n -l \"$r\" && rmdir \"$r\" && cd \"$w\"";
  }

  /** Quotes for sh: as it is when safe, else in single quotes. */
  static String quote(String word) {
    return ShellWord.quote(word);
  }
}
