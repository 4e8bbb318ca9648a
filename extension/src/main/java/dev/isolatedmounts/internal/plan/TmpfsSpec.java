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
    String data = modeOption(mode);
    return size.isEmpty() ? data : data + ",size=" + size;
  }

  /**
   * The tmpfs {@code mode=} option, in four octal digits: {@code mode=0755}. Not through
   * {@code String.format}, whose formatter a child JVM would set up only for this.
   */
  public static String modeOption(int mode) {
    String octal = Integer.toOctalString(mode);
    return "mode=" + "0000".substring(Math.min(4, octal.length())) + octal;
  }

  @Override
  public String describe() {
    return "@Tmpfs(\"" + target + "\")";
  }

  @Override
  public int hashCode() {
    return target.hashCode(); // not the generated one: see MountSpec
  }
}
