package dev.isolatedmounts.internal.plan;

/**
 * A validated {@code @Bind}.
 *
 * @param source absolute, normalized host path that existed when the plan was made
 * @param target absolute, normalized mount target
 * @param readOnly whether the bind is made read-only
 */
public record BindSpec(String source, String target, boolean readOnly) implements MountSpec {

  @Override
  public String describe() {
    return "@Bind(source = \"" + source + "\", target = \"" + target + "\""
        + (readOnly ? ", readOnly = true)" : ")");
  }

  @Override
  public int hashCode() {
    return target.hashCode(); // not the generated one: see MountSpec
  }
}
