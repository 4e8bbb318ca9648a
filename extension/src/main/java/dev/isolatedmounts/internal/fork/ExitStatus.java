package dev.isolatedmounts.internal.fork;

import java.util.Map;

/** Words for a child's exit status: the JDK reports death by signal N as status 128 + N. */
final class ExitStatus {

  private static final Map<Integer, String> SIGNALS = Map.ofEntries(
      Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"),
      Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
      Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
      Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
      Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"));

  private ExitStatus() {}

  static boolean bySignal(int status) {
    return status > 128 && status <= 128 + 64;
  }

  static String describe(int status) {
    if (bySignal(status)) {
      int signal = status - 128;
      return "exited with status " + status + " (128 + " + signal + ": killed by "
          + SIGNALS.getOrDefault(signal, "signal " + signal) + ")";
    }
    return "exited with status " + status;
  }
}
