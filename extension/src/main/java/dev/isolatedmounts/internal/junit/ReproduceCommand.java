package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One shell line that rebuilds a test's namespace by hand, for debugging a failure: the
 * {@code unshare} command, then {@code mount(8)} commands for the plan, the kept files copied back
 * in, and a shell inside. It uses {@code --map-root-user} where the test ran unprivileged, since
 * {@code mount(8)} wants uid 0. Targets absent on the host are skipped (the extension makes them
 * inside the namespace, which a one-liner cannot do safely), and so is a read-only root.
 */
final class ReproduceCommand {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=,:@%+-]+");

  private ReproduceCommand() {}

  static String of(MountPlan plan, Path kept, boolean root) {
    List<String> steps = new ArrayList<>();
    if (plan.propagation() == Propagation.SHARED) {
      steps.add("mount --make-rshared /");
    }
    List<String> ownMounts = new ArrayList<>();
    for (MountSpec spec : plan.mounts()) {
      String target = spec.target();
      if (!Files.exists(Path.of(target))) {
        if (ownMounts.stream().anyMatch(own -> Path.of(target).startsWith(own))) {
          steps.add("mkdir -p " + quote(target));
        } else {
          steps.add("echo " + quote("skipped " + spec.describe() + ": absent on the host"));
          continue;
        }
      }
      if (spec instanceof TmpfsSpec tmpfs) {
        steps.add("mount -t tmpfs -o " + tmpfs.mountData() + " isolated-mounts " + quote(target));
        Path copy = kept.resolve("tmpfs" + target);
        if (Files.isDirectory(copy)) {
          steps.add("cp -a " + quote(copy + "/.") + " " + quote(target));
        }
        ownMounts.add(target);
      } else if (spec instanceof BindSpec bind) {
        steps.add("mount --bind " + quote(bind.source()) + " " + quote(target));
        if (bind.readOnly()) {
          steps.add("mount -o remount,bind,ro " + quote(target));
        }
      } else if (spec instanceof OverlaySpec) {
        Path copy = kept.resolve("overlay" + target);
        steps.add("d=$(mktemp -d) && mount -t tmpfs isolated-mounts \"$d\" && mkdir \"$d/u\""
            + " \"$d/w\"" + (Files.isDirectory(copy) ? " && cp -a " + quote(copy + "/.")
            + " \"$d/u\"" : ""));
        steps.add("mount -t overlay overlay -o lowerdir=" + quote(target)
            + ",upperdir=\"$d/u\",workdir=\"$d/w\"" + (root ? "" : ",userxattr") + " "
            + quote(target));
        ownMounts.add(target);
      }
    }
    if (plan.propagation() == Propagation.UNBINDABLE) {
      steps.add("mount --make-runbindable /");
    }
    steps.add("exec \"${SHELL:-sh}\"");
    return "unshare " + (root ? "" : "--user --map-root-user ") + "--mount --propagation "
        + (plan.propagation() == Propagation.SLAVE ? "slave" : "private") + " sh -c "
        + quote(String.join(" && ", steps));
  }

  /** Quotes for sh: as it is when safe, else in single quotes. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
