package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.linux.ProcessStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out once whether, and how, this host can start a process in new mount namespaces, by
 * really trying it; when it cannot, builds the one message that lists what was tried and how to
 * enable it.
 */
public final class NamespaceProbe {

  static final int MIN_MAJOR = 2;
  static final int MIN_MINOR = 35;
  /** {@code --map-current-user}, which keeps a non-root user's uid, came with util-linux 2.38. */
  static final int MIN_MINOR_AS_USER = 38;

  /** Where a path of unshare other than the one on the PATH comes from. */
  private static final String CONFIGURED_BY =
      "the configuration parameter isolatedmounts.unshare (or the doctor's --unshare)";

  /** Starts the line of a failure that says how to run the doctor, which the doctor leaves out. */
  static final String DOCTOR_HINT = "To check this host step by step, run: ";

  static final Pattern VERSION = Pattern.compile("util-linux\\D*(\\d+)\\.(\\d+)");

  private NamespaceProbe() {}

  /** The outcome of a probe: a working command, or why there is none. */
  public sealed interface Outcome permits Supported, Unsupported {}

  /** The host can isolate tests with this command. */
  public record Supported(UnshareCommand command) implements Outcome {}

  /**
   * The host cannot isolate tests.
   *
   * @param message what was tried, what was found and how to enable it
   * @param notLinux true on an OS without mount namespaces, where tests are always aborted
   */
  public record Unsupported(String message, boolean notLinux) implements Outcome {}

  /**
   * Probes this host.
   *
   * @param configuredUnshare the {@code unshare} binary to use instead of the one on the PATH
   * @param root whether this JVM runs with effective uid 0
   */
  public static Outcome probe(Optional<String> configuredUnshare, boolean root) {
    String os = System.getProperty("os.name", "unknown");
    if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return new Unsupported("isolated-mounts needs Linux mount namespaces, but this is " + os
          + "; isolated tests are aborted here", true);
    }
    List<String> attempted = new ArrayList<>();
    Optional<String> unshare = configuredUnshare.isPresent() ? configuredUnshare : onPath();
    if (unshare.isEmpty() || !executableFile(unshare.get())) {
      attempted.add(unshare.map(path -> path + ": not an executable file")
          .orElse("looked for 'unshare' on the PATH (" + System.getenv("PATH") + "): not found"));
      List<String> fixes = new ArrayList<>();
      configuredUnshare.ifPresent(path -> fixes.add("correct \"" + path + "\", the path of"
          + " unshare given as " + CONFIGURED_BY + ", or leave it unset to use the one on the"
          + " PATH"));
      fixes.add("install util-linux " + MIN_MAJOR + "." + (root ? MIN_MINOR : MIN_MINOR_AS_USER)
          + " or newer (Debian/Ubuntu: 'apt-get install util-linux'; Fedora: 'dnf install"
          + " util-linux-core')");
      return unsupported(attempted, fixes, root, configuredUnshare);
    }
    Run version = run(List.of(unshare.get(), "--version"));
    attempted.add(unshare.get() + " --version: " + version.describe());
    Matcher matcher = VERSION.matcher(version.output());
    if (!matcher.find()) {
      return unsupported(attempted, List.of(unshare.get() + " is not util-linux unshare;"
          + (configuredUnshare.isPresent() ? " correct the path given as " + CONFIGURED_BY + ", or"
              : "") + " install util-linux"), root, configuredUnshare);
    }
    int major = Integer.parseInt(matcher.group(1));
    int minor = Integer.parseInt(matcher.group(2));
    int needed = root ? MIN_MINOR : MIN_MINOR_AS_USER;
    if (major < MIN_MAJOR || major == MIN_MAJOR && minor < needed) {
      return unsupported(attempted, List.of("util-linux " + major + "." + minor + " is too old:"
          + " isolated-mounts needs " + MIN_MAJOR + "." + needed + " or newer"
          + (root ? "" : " when not running as root (for 'unshare --map-current-user')")
          + "; upgrade util-linux"), root, configuredUnshare);
    }
    List<UnshareCommand> candidates = root
        ? List.of(UnshareCommand.asRoot(unshare.get()),
            UnshareCommand.asRootInUserNamespace(unshare.get()))
        : List.of(UnshareCommand.asUser(unshare.get()));
    for (UnshareCommand candidate : candidates) {
      List<String> command = new ArrayList<>(
          candidate.prefix(dev.isolatedmounts.Propagation.PRIVATE));
      command.add("true");
      Run attempt = run(command);
      attempted.add(candidate.describe() + " true: " + attempt.describe());
      if (attempt.exitCode() == 0) {
        return new Supported(candidate);
      }
    }
    return unsupported(attempted, HostFacts.blockers(root), root, configuredUnshare);
  }

  private static Unsupported unsupported(List<String> attempted, List<String> fixes, boolean root,
      Optional<String> configuredUnshare) {
    StringBuilder message = new StringBuilder()
        .append("isolated-mounts cannot start a child JVM in a new mount namespace on this host (")
        .append(root ? "running as root" : "running as uid " + uid()).append(").\nAttempted:");
    attempted.forEach(line -> message.append("\n  - ").append(line));
    message.append("\nTo enable it:");
    if (fixes.isEmpty()) {
      message.append("\n  - ").append(root
          ? "give the process CAP_SYS_ADMIN (in a container: run it with '--privileged')"
          : "enable unprivileged user namespaces, or run the tests as root");
    }
    fixes.forEach(line -> message.append("\n  - ").append(line));
    message.append("\n").append(DOCTOR_HINT).append(doctorCommand())
        .append(configuredUnshare.map(path -> " --unshare " + ShellWord.quote(path)).orElse(""));
    message.append("\nTo skip isolated tests on such hosts instead of failing them, set the")
        .append(" configuration parameter isolatedmounts.unsupported=abort.");
    return new Unsupported(message.toString(), false);
  }

  /** How to run the doctor from the jar (or classes directory) this class came from. */
  static String doctorCommand() {
    String location = "isolated-mounts.jar";
    try {
      location = Path.of(NamespaceProbe.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // a class loader without a code source: the generic name must do
    }
    return "java -cp " + ShellWord.quote(location) + " dev.isolatedmounts.Doctor";
  }

  /** This JVM's effective uid, or where there is no {@code /proc}, the user's name. */
  static String uid() {
    int uid = ProcessStatus.effectiveUid();
    return uid >= 0 ? String.valueOf(uid) : System.getProperty("user.name");
  }

  static Optional<String> onPath() {
    return onPath("unshare");
  }

  /** The command {@code name} on the PATH, or where util-linux and coreutils put it. */
  static Optional<String> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String directory : (path + ":/usr/bin:/bin:/usr/sbin:/sbin").split(File.pathSeparator)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath().toString());
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code command} for at most 10 s, with what it writes, both streams, going to a file: a
   * pipe would be read until every process holding it closed it, and a wrapper's helper left
   * running would hold it past the limit, and every test waiting for the probe with it.
   */
  static Run run(List<String> command) {
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("isolated-mounts-probe-", ".txt");
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        return new Run(-1, "did not finish within 10 s");
      }
      return new Run(process.exitValue(), firstBytes(output).trim());
    } catch (IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    } finally {
      if (process != null) {
        // What it started and left running goes too, should it have ended or not.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a few bytes in the temp directory
        }
      }
    }
  }

  private static String firstBytes(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return new String(in.readNBytes(16384), StandardCharsets.UTF_8);
    }
  }

  record Run(int exitCode, String output) {
    String describe() {
      String firstLines = output.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse("");
      return (exitCode == 0 ? "ok" : "failed with exit status " + exitCode)
          + (firstLines.isEmpty() ? "" : " (" + firstLines + ")");
    }
  }

  /** A directory is "executable" too: searchable. */
  static boolean executableFile(String path) {
    return Files.isRegularFile(Path.of(path)) && Files.isExecutable(Path.of(path));
  }
}
