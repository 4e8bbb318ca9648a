package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.Propagation;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of starting a process inside new namespaces with util-linux {@code unshare}.
 *
 * <p>A JVM cannot enter new namespaces itself (it is multithreaded, so {@code unshare(2)} of a user
 * namespace fails, and a mount namespace would hold only the calling thread), so the child is
 * <em>started</em> inside them. {@code unshare} execs the child without forking, so the child is
 * our direct child and its exit status is the JVM's.
 *
 * @param executable the {@code unshare} binary
 * @param namespaceOptions the options choosing the namespaces, without propagation
 * @param userNamespace whether a user namespace is part of it (non-root, or root without
 *     CAP_SYS_ADMIN)
 */
public record UnshareCommand(String executable, List<String> namespaceOptions, boolean userNamespace) {

  static UnshareCommand asRoot(String executable) {
    return new UnshareCommand(executable, List.of("--mount"), false);
  }

  static UnshareCommand asRootInUserNamespace(String executable) {
    return new UnshareCommand(executable, List.of("--user", "--map-root-user", "--mount"), true);
  }

  /** Keeps the uid (so {@code user.name} and {@code user.home}) and the capabilities over exec. */
  static UnshareCommand asUser(String executable) {
    return new UnshareCommand(executable,
        List.of("--user", "--map-current-user", "--keep-caps", "--mount"), true);
  }

  /** The command prefix that runs {@code command} in the namespaces. */
  List<String> prefix(Propagation propagation) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(namespaceOptions);
    command.add("--propagation");
    // Only these two are safe to start with: a mount made before the child changes propagation
    // must never reach the host. SHARED and UNBINDABLE start private and are set by the child.
    command.add(propagation == Propagation.SLAVE ? "slave" : "private");
    return command;
  }

  String describe() {
    return String.join(" ", prefix(Propagation.PRIVATE));
  }
}
