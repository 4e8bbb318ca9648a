package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.Propagation;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of starting a process inside new namespaces with util-linux {@code unshare}.
 *
 * <p>A JVM cannot enter new namespaces itself (it is multithreaded, so {@code unshare(2)} of a user
 * namespace fails, and a mount namespace would hold only the calling thread), so the child is
 * <em>started</em> inside them.
 *
 * <p>The child also gets a PID namespace of its own, so that it and everything it starts can be
 * ended together, orphans and daemons included: when the namespace's first process (its "init")
 * ends, the kernel kills every other process in it. That first process is a small {@code sh}, not
 * the JVM, because the kernel shields an init from signals it sends itself (a test that kills its
 * own JVM would live on) and from default-action signals such as {@code SIGABRT}. {@code sh}
 * waits for the JVM and exits with its status, or 128 + the signal that killed it, which
 * {@code unshare --fork} passes on. {@code --kill-child} kills the init when {@code unshare} dies,
 * so killing the process the parent started ends the whole tree. {@code /proc} is not remounted:
 * {@code /proc/self} still names the JVM, by its pid in the parent's namespace.
 *
 * @param executable the {@code unshare} binary
 * @param namespaceOptions the options choosing the namespaces, without propagation
 * @param userNamespace whether a user namespace is part of it (non-root, or root without
 *     CAP_SYS_ADMIN)
 */
public record UnshareCommand(
    String executable, List<String> namespaceOptions, boolean userNamespace) {

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

  /** The options that give the child a PID namespace, with an init that ends with it. */
  static final List<String> PID_NAMESPACE = List.of("--pid", "--fork", "--kill-child");

  /**
   * The namespace's init: runs its arguments as a child (never {@code exec}: the {@code exit}
   * after it keeps {@code sh} from replacing itself) and exits with its status.
   */
  static final List<String> INIT = List.of("/bin/sh", "-c", "\"$@\"; exit $?",
      "isolated-mounts-init");

  /** The command prefix that runs {@code command} in the namespaces. */
  List<String> prefix(Propagation propagation) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(namespaceOptions);
    command.addAll(PID_NAMESPACE);
    command.add("--propagation");
    // Only these two are safe to start with: a mount made before the child changes propagation
    // must never reach the host. SHARED and UNBINDABLE start private and are set by the child.
    command.add(propagation == Propagation.SLAVE ? "slave" : "private");
    command.addAll(INIT);
    return command;
  }

  /** The prefix as a user would type it, without the init wrapper. */
  String describe() {
    List<String> prefix = prefix(Propagation.PRIVATE);
    return String.join(" ", prefix.subList(0, prefix.size() - INIT.size()));
  }
}
