package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RDONLY;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REC;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REMOUNT;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_SHARED;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_UNBINDABLE;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.linux.MountEntry;
import dev.isolatedmounts.internal.linux.MountFlags;
import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the mounts of a plan in the child's namespace, then checks that they are really there.
 * Nothing is mounted before the namespace is confirmed to differ from the parent's: a mount in the
 * parent's namespace would be a mount on the host.
 */
final class MountSetup {

  private final AbsentTargets absentTargets;
  private final OverlayLayers overlays;
  private final Path staging;
  private final KeptMounts kept;
  private Map<MountSpec, Path> mounted = Map.of();
  private Path publishedFiles;

  /**
   * @param staging the child's private directory: {@code root} in it is for a new root, and
   *     {@code overlay} for the overlays' upper layers
   * @param root whether the child has real root privileges (not those of a user namespace)
   */
  MountSetup(Path staging, boolean root) {
    this.absentTargets = new AbsentTargets(staging.resolve("root"), root);
    this.overlays = new OverlayLayers(staging.resolve("overlay"), !root);
    this.staging = staging;
    this.kept = new KeptMounts(staging.resolve("keep"));
  }

  /** Copies the tmpfs mounts and overlay upper layers out to the host, after a failed test. */
  void keepAfterFailure() throws IOException {
    kept.keep(mounted, overlays.upperDirs());
  }

  /** Under a read-only root, where the launcher must put the files the test publishes. */
  Optional<Path> publishedFiles() {
    return Optional.ofNullable(publishedFiles);
  }

  /** The overlays made, to their upper layers. */
  Map<OverlaySpec, Path> overlayUpperDirs() {
    return overlays.upperDirs();
  }

  /**
   * Applies the plan; returns the real mount point of each declared mount.
   *
   * @param keepDirectory the host directory to keep a failed test's mounts in, or {@code null}
   */
  Map<MountSpec, Path> apply(MountPlan plan, String parentMountNamespace, String keepDirectory) {
    String own = ownNamespace();
    if (own.equals(parentMountNamespace)) {
      throw new IsolationException("The child JVM is still in the parent's mount namespace ("
          + own + "), so it mounts nothing: the unshare command did not create a namespace");
    }
    if (plan.propagation() == Propagation.SHARED) {
      // The tree starts private (see the unshare command), so this makes new peer groups that
      // the host is not part of.
      mountOrFail(null, "/", null, MS_REC | MS_SHARED, null, "make / shared");
    }
    if (plan.mounts().stream().anyMatch(OverlaySpec.class::isInstance)) {
      try {
        overlays.prepare();
      } catch (IOException e) {
        throw new IsolationException("Could not make the private tmpfs for the upper layers of"
            + " the @Overlay mounts: " + e.getMessage(), e);
      }
    }
    List<Path> writable = new ArrayList<>(List.of(staging.resolve("overlay")));
    if (keepDirectory != null) {
      try {
        kept.prepare(keepDirectory);
      } catch (IOException e) {
        throw new IsolationException("@IsolatedMounts(keepOnFailure = true): could not bind the"
            + " directory for kept mounts, " + keepDirectory + ": " + e.getMessage(), e);
      }
      writable.add(kept.staging());
    }
    Path tmpDir = plan.readOnlyRoot() ? tmpDirForReadOnlyRoot() : null;
    StagingPath stagingPath = null;
    if (tmpDir != null) {
      writable.add(tmpDir);
      stagingPath = pin(staging);
      try {
        publishedFiles = PublishedFilesDirectory.prepare(staging);
      } catch (IOException e) {
        throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): could not make the"
            + " directory for the files the test publishes: " + e.getMessage(), e);
      }
      writable.add(publishedFiles);
    }
    Map<MountSpec, Path> mounted = new LinkedHashMap<>();
    this.mounted = mounted;
    for (MountSpec spec : plan.mounts()) {
      mounted.put(spec, mount(spec));
    }
    try {
      absentTargets.restoreReadOnly();
    } catch (IOException e) {
      throw new IsolationException("Could not make read-only again a directory covered to make"
          + " a target below it: " + e.getMessage(), e);
    }
    if (plan.readOnlyRoot()) {
      mounted.forEach((spec, target) -> {
        if (!(spec instanceof BindSpec bind && bind.readOnly())) {
          writable.add(target);
        }
      });
      restoreIfHidden(stagingPath, plan);
      try {
        writable.addAll(AgentOutputs.keepWritable(AgentOutputs.of(
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
            Path.of(System.getProperty("user.dir")))));
      } catch (IOException e) {
        throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): could not keep the"
            + " coverage file of a JaCoCo agent writable: " + e.getMessage(), e);
      }
      ReadOnlyRoot.apply(writable);
    }
    if (plan.propagation() == Propagation.UNBINDABLE) {
      // After the plan's own binds, which unbindable sources would refuse.
      mountOrFail(null, "/", null, MS_REC | MS_UNBINDABLE, null, "make / unbindable");
    }
    new MountVerifier().verify(mounted, own, parentMountNamespace);
    return mounted;
  }

  /**
   * Mounts the private tmpfs the child's {@code java.io.tmpdir} names (set on its command line
   * under a read-only root), before the plan's mounts could hide its path.
   */
  private static Path tmpDirForReadOnlyRoot() {
    Path tmpDir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    try {
      ReadOnlyRoot.privateTmpDir(tmpDir);
    } catch (IOException e) {
      throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): could not mount the"
          + " private tmpfs for java.io.tmpdir at " + tmpDir + ": " + e.getMessage(), e);
    }
    return tmpDir;
  }

  private static StagingPath pin(Path staging) {
    try {
      return StagingPath.pin(staging);
    } catch (IOException e) {
      throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): could not open the"
          + " child's directory " + staging + ": " + e.getMessage(), e);
    }
  }

  /** A declared mount over an ancestor of the child's directory (/tmp) hid it: show it again. */
  private void restoreIfHidden(StagingPath stagingPath, MountPlan plan) {
    try {
      stagingPath.restoreIfHidden();
    } catch (IOException e) {
      Path parent = staging.getParent();
      String over = plan.mounts().stream()
          .filter(spec -> staging.startsWith(spec.target()))
          .reduce((first, last) -> last).map(MountSpec::describe).orElse("A declared mount");
      throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): " + over + " hides "
          + staging + ", the child JVM's own directory, which holds its java.io.tmpdir, and it"
          + " could not be shown there again: " + e.getMessage() + ". Make that mount writable,"
          + " or mount onto a directory below " + parent + ", or use @Tmpfs(\"" + parent
          + "\") to have a fresh, writable " + parent, e);
    }
  }

  private Path mount(MountSpec spec) {
    try {
      if (spec instanceof TmpfsSpec tmpfs) {
        Path target = absentTargets.ensure(Path.of(tmpfs.target()), true);
        if (!Files.isDirectory(target)) {
          // The parent checks the host's paths; one below an earlier mount is found only here.
          throw new IsolationException("Could not apply " + spec.describe() + ": its target "
              + target + " is not a directory once the test's earlier mounts are made; a tmpfs"
              + " is mounted on a directory");
        }
        mountOrFail("isolated-mounts", target.toString(), "tmpfs", MS_NOSUID | MS_NODEV,
            tmpfs.mountData(), spec.describe());
        absentTargets.ownTmpfs(target);
        return target;
      }
      if (spec instanceof OverlaySpec overlay) {
        Path target = overlays.mount(overlay);
        // Its upper layer is ours: a declared target below it can be made there directly.
        absentTargets.ownTmpfs(target);
        return target;
      }
      BindSpec bind = (BindSpec) spec;
      if (!Files.exists(Path.of(bind.source()))) {
        throw new IsolationException("Could not apply " + spec.describe() + ": the source "
            + bind.source() + " does not exist any more");
      }
      boolean directory = Files.isDirectory(Path.of(bind.source()));
      Path target = absentTargets.ensure(Path.of(bind.target()), directory);
      if (Files.isDirectory(target) != directory) {
        throw new IsolationException("Could not apply " + spec.describe() + ": the source is a "
            + (directory ? "directory" : "file") + " but the target " + target + " is "
            + (directory ? "a file" : "a directory") + "; bind a " + (directory ? "directory"
            : "file") + " onto a " + (directory ? "directory" : "file"));
      }
      mountOrFail(bind.source(), target.toString(), null, MS_BIND | MS_REC, null, spec.describe());
      if (bind.readOnly()) {
        makeReadOnly(target, spec);
      }
      return target;
    } catch (IOException e) {
      throw new IsolationException("Could not apply " + spec.describe() + ": " + e, e);
    }
  }

  /**
   * A bind is made read-only by remounting it, and each mount that came along with it. In a user
   * namespace the remount must repeat the flags the mount was locked with, or the kernel says
   * EPERM.
   */
  private static void makeReadOnly(Path target, MountSpec spec) throws IOException {
    MountTable table = MountTable.readSelf();
    // Only the mounts that came with the bind: those that were below the target are hidden now.
    for (MountEntry entry : table.under(target.toString()).stream().filter(table::visible)
        .toList()) {
      mountOrFail(null, entry.mountPoint(), null,
          MS_REMOUNT | MS_BIND | MS_RDONLY | MountFlags.lockedFlagsOf(entry), null,
          spec.describe() + " (read-only remount of " + entry.mountPoint() + ")");
    }
  }

  private static void mountOrFail(String source, String target, String type, long flags,
      String data, String what) {
    try {
      Syscalls.mount(source, target, type, flags, data);
    } catch (IOException e) {
      throw new IsolationException("Could not apply " + what + ": " + e.getMessage(), e);
    }
  }

  private static String ownNamespace() {
    try {
      return Syscalls.mountNamespace();
    } catch (IOException e) {
      throw new IsolationException("Could not read the child's mount namespace: " + e, e);
    }
  }
}
