package dev.isolatedmounts.internal.plan;

import dev.isolatedmounts.Propagation;
import java.util.List;

/**
 * The validated mounts of one isolated test, in the order they are made: a target always comes
 * after any declared target that contains it.
 *
 * @param propagation the propagation of {@code /} in the child namespace
 * @param mounts the mounts, parents first
 */
public record MountPlan(Propagation propagation, List<MountSpec> mounts) {

  public MountPlan {
    mounts = List.copyOf(mounts);
  }
}
