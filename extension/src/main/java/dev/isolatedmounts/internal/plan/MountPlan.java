package dev.isolatedmounts.internal.plan;

import dev.isolatedmounts.Propagation;
import java.util.List;

/**
 * The validated mounts of one isolated test, in the order they are made: a target always comes
 * after any declared target that contains it.
 *
 * @param propagation the propagation of {@code /} in the child namespace
 * @param mounts the mounts, parents first
 * @param readOnlyRoot whether everything but the declared writable mounts is made read-only
 * @param trapExit whether {@code System.exit} throws instead of ending the child JVM
 * @param keepOnFailure whether a failed test's tmpfs and overlay contents are copied out
 */
public record MountPlan(Propagation propagation, List<MountSpec> mounts, boolean readOnlyRoot,
    boolean trapExit, boolean keepOnFailure) {

  public MountPlan {
    mounts = List.copyOf(mounts);
  }

  /** A plan with the given mounts and every hermetic setting off. */
  public MountPlan(Propagation propagation, List<MountSpec> mounts) {
    this(propagation, mounts, false, false, false);
  }

  /** This plan with {@code mounts} instead of its own. */
  public MountPlan withMounts(List<MountSpec> mounts) {
    return new MountPlan(propagation, mounts, readOnlyRoot, trapExit, keepOnFailure);
  }

  /** This plan, keeping artifacts on failure as well when {@code keep} is true. */
  public MountPlan keepingOnFailure(boolean keep) {
    return new MountPlan(propagation, mounts, readOnlyRoot, trapExit, keepOnFailure || keep);
  }
}
