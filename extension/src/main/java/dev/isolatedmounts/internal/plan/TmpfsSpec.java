package dev.isolatedmounts.internal.plan;

/**
 * A validated {@code @Tmpfs}.
 *
 * @param target absolute, normalized mount target
 * @param size the tmpfs {@code size=} option ("64k", "4m", "10%"), or empty for the kernel default
 * @param mode the permissions of the tmpfs root, e.g. {@code 0755}
 */
public record TmpfsSpec(String target, String size, int mode) implements MountSpec {

  /** The tmpfs mount data, e.g. {@code mode=0700,size=4m}. */
  public String mountData() {
    String data = "mode=" + String.format("%04o", mode);
    return size.isEmpty() ? data : data + ",size=" + size;
  }

  @Override
  public String describe() {
    return "@Tmpfs(\"" + target + "\")";
  }
}
