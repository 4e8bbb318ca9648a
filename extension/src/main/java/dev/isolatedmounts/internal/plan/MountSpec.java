package dev.isolatedmounts.internal.plan;

/** One validated mount of a {@link MountPlan}: what to mount, and where. */
public sealed interface MountSpec permits TmpfsSpec, BindSpec, OverlaySpec {

  /** The absolute, normalized mount target, e.g. {@code /var/lib/app}. */
  String target();

  /** The declaration as the user wrote it, for messages: {@code @Tmpfs("/var/lib/app")}. */
  String describe();
}
