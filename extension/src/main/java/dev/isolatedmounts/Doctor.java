package dev.isolatedmounts;

import dev.isolatedmounts.internal.fork.HostChecks;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Checks whether this host can run isolated tests, and says how to fix what stops it.
 *
 * <pre>
 * java -cp isolated-mounts.jar dev.isolatedmounts.Doctor [--unshare /path/to/unshare]
 * </pre>
 *
 * <p>Prints one line per check (operating system, kernel, user namespaces and the sysctls that
 * switch them off, AppArmor's restriction, seccomp, util-linux, {@code mkfifo}, a real start of a
 * process in new namespaces, an overlayfs mount in them), each {@code OK} or with its fix.
 * Needs only the extension's jar: no JNA, no JUnit. Exits with status 0 when isolated tests can run here, 1 when
 * they cannot; run it as the user that runs the tests.
 */
public final class Doctor {

  private Doctor() {}

  public static void main(String[] args) {
    Optional<String> unshare = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--unshare") && i + 1 < args.length) {
        unshare = Optional.of(args[++i]);
      } else {
        System.err.println("usage: java -cp isolated-mounts.jar dev.isolatedmounts.Doctor"
            + " [--unshare /path/to/unshare]");
        System.exit(2);
      }
    }
    System.exit(run(unshare, System.out));
  }

  /** Runs the checks, prints them to {@code out}, and returns the exit status. */
  static int run(Optional<String> unshare, PrintStream out) {
    out.println("isolated-mounts doctor: can this host run isolated tests?");
    HostChecks.Report report = HostChecks.run(unshare);
    for (HostChecks.Check check : report.checks()) {
      String label = switch (check.status()) {
        case OK -> "[OK]  ";
        case INFO -> "[--]  ";
        case WARN -> "[WARN]";
        case FAIL -> "[FAIL]";
      };
      out.println(label + " " + check.name() + ": "
          + check.detail().replace("\n", "\n         "));
    }
    out.println(report.canIsolate()
        ? "Isolated tests can run here."
        : "Isolated tests cannot run here: fix the [FAIL] lines above.");
    return report.canIsolate() ? 0 : 1;
  }
}
