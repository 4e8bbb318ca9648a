package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HostFacts: what blocks namespaces on a host, each with its fix")
class HostFactsTests {

  @TempDir Path root;

  @Test
  @DisplayName("as a user: each sysctl that disables user namespaces, AppArmor's, and seccomp")
  void asUser() throws IOException {
    write(HostFacts.MAX_USER_NAMESPACES, "0\n");
    write(HostFacts.UNPRIVILEGED_USERNS_CLONE, "0\n");
    write(HostFacts.APPARMOR_RESTRICT, "1\n");

    assertThat(HostFacts.blockers(false, root, Optional.of("2"))).containsExactly(
        "user namespaces are disabled (user.max_user_namespaces = 0); enable them with"
            + " 'sysctl -w user.max_user_namespaces=15000'",
        "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0);"
            + " enable them with 'sysctl -w kernel.unprivileged_userns_clone=1'",
        "AppArmor restricts unprivileged user namespaces"
            + " (kernel.apparmor_restrict_unprivileged_userns = 1, the Ubuntu 24.04 default);"
            + " allow them with 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0', or"
            + " run the tests as root",
        "a seccomp filter is active (Seccomp: 2 in /proc/self/status), as in a container under"
            + " Docker's default profile, which refuses unshare and mount: run the container with"
            + " '--privileged', or with '--security-opt seccomp=unconfined --security-opt"
            + " apparmor=unconfined'");
  }

  @Test
  @DisplayName("as root: only seccomp, with the capability to add; settings that allow, none")
  void asRootOrAllowed() throws IOException {
    write(HostFacts.MAX_USER_NAMESPACES, "0\n");
    write(HostFacts.APPARMOR_RESTRICT, "1\n");

    assertThat(HostFacts.blockers(true, root, Optional.of("2"))).singleElement().asString()
        .endsWith("apparmor=unconfined --cap-add SYS_ADMIN'");
    write(HostFacts.MAX_USER_NAMESPACES, "15000\n");
    write(HostFacts.APPARMOR_RESTRICT, "0\n");
    assertThat(HostFacts.blockers(false, root, Optional.of("0"))).isEmpty();
    assertThat(HostFacts.blockers(false, root.resolve("no-proc"), Optional.empty())).isEmpty();
  }

  private void write(String file, String content) throws IOException {
    Path path = root.resolve(file.substring(1));
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }
}
