package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.linux.ProcessStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host says about the settings that commonly block namespaces, each with the fix, for
 * the message shown when the child's namespaces cannot be made and for the doctor.
 */
final class HostFacts {

  static final String MAX_USER_NAMESPACES = "/proc/sys/user/max_user_namespaces";
  static final String UNPRIVILEGED_USERNS_CLONE = "/proc/sys/kernel/unprivileged_userns_clone";
  static final String APPARMOR_RESTRICT =
      "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

  private HostFacts() {}

  /** The root of this host's file system, where its /proc is. */
  static final Path HOST = Path.of("/");

  static List<String> blockers(boolean root) {
    return blockers(root, HOST, ProcessStatus.seccompMode());
  }

  /**
   * What blocks namespaces, with each fix, as the files below {@code root} (the file system's
   * root, or a copy of its /proc files for a test) and the seccomp mode say.
   */
  static List<String> blockers(boolean asRoot, Path root, Optional<String> seccompMode) {
    List<String> found = new ArrayList<>();
    if (!asRoot) {
      userNamespacesDisabled(root).ifPresent(found::add);
      unprivilegedCloneDisabled(root).ifPresent(found::add);
      appArmorRestriction(root).ifPresent(found::add);
    }
    seccomp(asRoot, seccompMode).ifPresent(found::add);
    return found;
  }

  static Optional<String> userNamespacesDisabled(Path root) {
    return read(root, MAX_USER_NAMESPACES).filter("0"::equals).map(v ->
        "user namespaces are disabled (user.max_user_namespaces = 0); enable them with"
            + " 'sysctl -w user.max_user_namespaces=15000'");
  }

  static Optional<String> unprivilegedCloneDisabled(Path root) {
    return read(root, UNPRIVILEGED_USERNS_CLONE).filter("0"::equals).map(v ->
        "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0);"
            + " enable them with 'sysctl -w kernel.unprivileged_userns_clone=1'");
  }

  static Optional<String> appArmorRestriction(Path root) {
    return read(root, APPARMOR_RESTRICT).filter("1"::equals).map(v ->
        "AppArmor restricts unprivileged user namespaces"
            + " (kernel.apparmor_restrict_unprivileged_userns = 1, the Ubuntu 24.04 default);"
            + " allow them with 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',"
            + " or run the tests as root");
  }

  static Optional<String> seccomp(boolean root, Optional<String> seccompMode) {
    return seccompMode.filter(mode -> !mode.equals("0")).map(mode ->
        "a seccomp filter is active (Seccomp: " + mode + " in /proc/self/status), as in a"
            + " container under Docker's default profile, which refuses unshare and mount: run the"
            + " container with '--privileged', or with '--security-opt seccomp=unconfined"
            + " --security-opt apparmor=unconfined" + (root ? " --cap-add SYS_ADMIN'" : "'"));
  }

  private static Optional<String> read(Path root, String file) {
    return read(root.resolve(file.substring(1)).toString());
  }

  /**
   * Reads a small /proc file in one read: /proc/sys files say their size is 0, and
   * {@code Files.readString} then reads one byte and a second read, at offset 1, which the
   * kernel's sysctl handlers answer with end of file ("96365" reads as "9").
   */
  static Optional<String> read(String file) {
    try (java.io.InputStream in = Files.newInputStream(Path.of(file))) {
      return Optional.of(new String(in.readNBytes(65536), java.nio.charset.StandardCharsets.UTF_8)
          .trim());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
