package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.linux.MountEntry;
import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Confirms from {@code /proc/self/mountinfo} that isolation is real before user code runs: the
 * namespace is not the parent's, and each declared mount is there with the right file system type
 * and read-only flag.
 */
final class MountVerifier {

  void verify(Map<MountSpec, Path> mounted, String ownNamespace, String parentNamespace) {
    try {
      verify(mounted, ownNamespace, parentNamespace, MountTable.readSelf());
    } catch (java.io.IOException e) {
      throw new IsolationException("Isolation could not be verified: " + e, e);
    }
  }

  void verify(Map<MountSpec, Path> mounted, String ownNamespace, String parentNamespace,
      MountTable table) {
    List<String> problems = new ArrayList<>();
    if (ownNamespace.equals(parentNamespace)) {
      problems.add("the child shares the parent's mount namespace " + parentNamespace);
    }
    mounted.forEach((spec, target) -> check(spec, target, table).ifPresent(problems::add));
    if (!problems.isEmpty()) {
      throw new IsolationException("Isolation could not be verified, so the test did not run: "
          + String.join("; ", problems));
    }
  }

  private static Optional<String> check(MountSpec spec, Path target, MountTable table) {
    Optional<MountEntry> top = table.topmostAt(target.toString());
    if (top.isEmpty()) {
      return Optional.of(spec.describe() + " is not a mount point in /proc/self/mountinfo");
    }
    MountEntry entry = top.get();
    if (!table.visible(entry)) {
      // Mounted, then covered by a mount above its target: the test would not see it.
      return Optional.of(spec.describe() + " is mounted at " + target + " but hidden by a mount"
          + " made after it on a directory above it");
    }
    if (spec instanceof TmpfsSpec && !entry.fsType().equals("tmpfs")) {
      return Optional.of(spec.describe() + " is mounted as " + entry.fsType() + ", not tmpfs");
    }
    if (spec instanceof OverlaySpec && !entry.fsType().equals("overlay")) {
      return Optional.of(spec.describe() + " is mounted as " + entry.fsType() + ", not overlay");
    }
    if (spec instanceof OverlaySpec && entry.readOnly()) {
      return Optional.of(spec.describe() + " is mounted read-only at " + target);
    }
    if (spec instanceof BindSpec bind && bind.readOnly() != entry.readOnly()) {
      return Optional.of(spec.describe() + " is mounted " + (entry.readOnly() ? "ro" : "rw")
          + " at " + target + (entry.readOnly() ? readOnlySource(bind, table) : ""));
    }
    if (spec instanceof TmpfsSpec && entry.readOnly()) {
      return Optional.of(spec.describe() + " is mounted read-only at " + target);
    }
    return Optional.empty();
  }

  /**
   * Why a writable bind came out read-only, where its source is on a read-only mount (a read-only
   * /usr, a store): a bind takes its source mount's flags, locked in a user namespace.
   */
  private static String readOnlySource(BindSpec bind, MountTable table) {
    String source;
    try {
      source = Path.of(bind.source()).toRealPath().toString();
    } catch (java.io.IOException e) {
      return "";
    }
    return table.mountOf(source).filter(MountEntry::readOnly)
        .map(mount -> ", since its source " + bind.source() + " is on the read-only mount at "
            + mount.mountPoint() + ", whose flags a bind takes: declare it with readOnly = true,"
            + " or bind a writable source (a copy of it in a @Tmpfs, say)")
        .orElse("");
  }
}
