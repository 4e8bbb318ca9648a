package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host says about the settings that commonly block namespaces, each with the fix, for
 * the message shown when the child's namespaces cannot be made.
 */
final class HostFacts {

  private HostFacts() {}

  static List<String> blockers(boolean root) {
    List<String> found = new ArrayList<>();
    if (!root) {
      read("/proc/sys/user/max_user_namespaces").filter("0"::equals).ifPresent(v -> found.add(
          "user namespaces are disabled (user.max_user_namespaces = 0); enable them with"
              + " 'sysctl -w user.max_user_namespaces=15000'"));
      read("/proc/sys/kernel/unprivileged_userns_clone").filter("0"::equals).ifPresent(v ->
          found.add("unprivileged user namespaces are disabled"
              + " (kernel.unprivileged_userns_clone = 0); enable them with"
              + " 'sysctl -w kernel.unprivileged_userns_clone=1'"));
      read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").filter("1"::equals)
          .ifPresent(v -> found.add("AppArmor restricts unprivileged user namespaces"
              + " (kernel.apparmor_restrict_unprivileged_userns = 1, the Ubuntu 24.04 default);"
              + " allow them with 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',"
              + " or run the tests as root"));
    }
    seccompMode().filter(mode -> !mode.equals("0")).ifPresent(mode -> found.add(
        "a seccomp filter is active (Seccomp: " + mode + " in /proc/self/status), as in a"
            + " container under Docker's default profile, which refuses unshare and mount: run the"
            + " container with '--privileged', or with '--security-opt seccomp=unconfined"
            + " --security-opt apparmor=unconfined" + (root ? " --cap-add SYS_ADMIN'" : "'")));
    return found;
  }

  private static Optional<String> seccompMode() {
    return read("/proc/self/status").flatMap(status -> status.lines()
        .filter(line -> line.startsWith("Seccomp:"))
        .map(line -> line.substring("Seccomp:".length()).trim())
        .findFirst());
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)).trim());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
