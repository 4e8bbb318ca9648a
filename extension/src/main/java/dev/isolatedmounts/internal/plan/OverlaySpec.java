package dev.isolatedmounts.internal.plan;

/**
 * A validated {@code @Overlay}: the host directory at {@code target} seen through a copy-on-write
 * overlay whose upper layer lives on a tmpfs private to the child.
 *
 * @param target absolute, normalized path of a directory that existed on the host when the plan
 *     was made; both the lower layer and the mount target
 */
public record OverlaySpec(String target) implements MountSpec {

  @Override
  public String describe() {
    return "@Overlay(\"" + target + "\")";
  }

  @Override
  public int hashCode() {
    return target.hashCode(); // not the generated one: see MountSpec
  }
}
