package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.linux.ProcessStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The doctor's checks of this host, one by one, each OK or with its fix. The verdict is the real
 * {@link NamespaceProbe}; the other checks explain it. Uses no JNA and no JUnit, so it runs from
 * the extension's jar alone.
 */
public final class HostChecks {

  /** Unprivileged overlayfs mounts came with Linux 5.11. */
  static final int[] OVERLAY_IN_USER_NAMESPACE = {5, 11};
  /** Unprivileged user namespaces (and so mount namespaces without root) came with Linux 3.8. */
  static final int[] USER_NAMESPACES = {3, 8};

  private static final Pattern KERNEL = Pattern.compile("(\\d+)\\.(\\d+)");

  private HostChecks() {}

  /** How one check went. */
  public enum Status { OK, INFO, WARN, FAIL }

  /**
   * One check.
   *
   * @param name what was checked
   * @param status how it went
   * @param detail what was found, and for WARN or FAIL how to fix it
   */
  public record Check(String name, Status status, String detail) {}

  /**
   * The checks and the verdict.
   *
   * @param checks the checks, in the order they explain the verdict
   * @param probe whether isolated tests can run here: the outcome the extension itself would get
   */
  public record Report(List<Check> checks, NamespaceProbe.Outcome probe) {
    public boolean canIsolate() {
      return probe instanceof NamespaceProbe.Supported;
    }
  }

  /** Runs every check; {@code unshare} replaces the one on the PATH, as in the configuration. */
  public static Report run(Optional<String> unshare) {
    boolean root = "0".equals(NamespaceProbe.uid());
    List<Check> checks = new ArrayList<>();
    String os = System.getProperty("os.name", "unknown");
    boolean linux = os.toLowerCase(Locale.ROOT).contains("linux");
    checks.add(new Check("operating system", linux ? Status.OK : Status.FAIL, linux ? os
        : os + ": isolated-mounts needs Linux mount namespaces; isolated tests are aborted here"));
    if (!linux) {
      return new Report(checks, NamespaceProbe.probe(unshare, root));
    }
    String kernel = System.getProperty("os.version", "");
    checks.add(kernel(kernel, root));
    checks.add(new Check("user", Status.INFO, root
        ? "root: a mount namespace is made directly, no user namespace needed"
        : "uid " + NamespaceProbe.uid() + ": each child needs an unprivileged user namespace"));
    checks.add(sysctl("user.max_user_namespaces", HostFacts.MAX_USER_NAMESPACES,
        root ? Optional.empty() : HostFacts.userNamespacesDisabled(HostFacts.HOST)));
    checks.add(sysctl("kernel.unprivileged_userns_clone", HostFacts.UNPRIVILEGED_USERNS_CLONE,
        root ? Optional.empty() : HostFacts.unprivilegedCloneDisabled(HostFacts.HOST)));
    checks.add(sysctl("kernel.apparmor_restrict_unprivileged_userns",
        HostFacts.APPARMOR_RESTRICT,
        root ? Optional.empty() : HostFacts.appArmorRestriction(HostFacts.HOST)));
    Optional<String> seccomp = HostFacts.seccomp(root, ProcessStatus.seccompMode());
    checks.add(new Check("seccomp", seccomp.isPresent() ? Status.WARN : Status.OK,
        seccomp.orElse("no filter on this process (Seccomp: "
            + ProcessStatus.seccompMode().orElse("unknown") + ")")));
    Optional<String> binary = unshare.isPresent() ? unshare : NamespaceProbe.onPath();
    checks.add(utilLinux(binary, unshare.isPresent(), root));
    checks.add(mkfifo());
    NamespaceProbe.Outcome probe = NamespaceProbe.probe(unshare, root);
    checks.add(probe instanceof NamespaceProbe.Supported supported
        ? new Check("namespaces", Status.OK, "a child can be started with '"
            + supported.command().describe() + "'")
        : new Check("namespaces", Status.FAIL, ((NamespaceProbe.Unsupported) probe).message()
            .lines().filter(line -> !line.startsWith(NamespaceProbe.DOCTOR_HINT))
            .collect(java.util.stream.Collectors.joining("\n"))));
    checks.add(overlay(kernel, probe));
    return new Report(checks, probe);
  }

  /** Not needed to isolate a test: without it the archive does not learn the tests' libraries. */
  private static Check mkfifo() {
    return NamespaceProbe.onPath(ClassListing.MKFIFO)
        .map(found -> new Check("mkfifo", Status.OK, found + ": a few children per run list the"
            + " classes they load, for the archive of the children's classes"))
        .orElse(new Check("mkfifo", Status.WARN, "not found on the PATH, nor in /usr/bin, /bin:"
            + " isolated tests run, but the archive of the children's classes does not learn"
            + " your tests' libraries; install coreutils"));
  }

  private static Check kernel(String version, boolean root) {
    Matcher matcher = KERNEL.matcher(version);
    if (!matcher.find()) {
      return new Check("kernel", Status.WARN, "version '" + version + "' not understood");
    }
    int[] found = {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
    if (!root && !atLeast(found, USER_NAMESPACES)) {
      return new Check("kernel", Status.FAIL, version + ": unprivileged user namespaces need"
          + " Linux 3.8 or newer; upgrade the kernel or run the tests as root");
    }
    return new Check("kernel", Status.OK, version);
  }

  private static Check sysctl(String name, String file, Optional<String> blocker) {
    Optional<String> value = HostFacts.read(file);
    if (blocker.isPresent()) {
      return new Check(name, Status.FAIL, blocker.get());
    }
    return new Check(name, value.isPresent() ? Status.OK : Status.INFO,
        value.map(v -> "= " + v).orElse("not present on this kernel"));
  }

  private static Check utilLinux(Optional<String> unshare, boolean given, boolean root) {
    int needed = root ? NamespaceProbe.MIN_MINOR : NamespaceProbe.MIN_MINOR_AS_USER;
    String wanted = NamespaceProbe.MIN_MAJOR + "." + needed + " or newer"
        + (root ? " as root" : " when not root");
    if (unshare.isEmpty() || !NamespaceProbe.executableFile(unshare.get())) {
      return new Check("util-linux", Status.FAIL, "no unshare " + unshare.map(u -> "at " + u)
          .orElse("on the PATH") + (given ? "; correct the path given with --unshare, or" : ";")
          + " install util-linux " + wanted
          + " (Debian/Ubuntu: 'apt-get install util-linux'; Fedora: 'dnf install"
          + " util-linux-core')");
    }
    NamespaceProbe.Run version = NamespaceProbe.run(List.of(unshare.get(), "--version"));
    Matcher matcher = NamespaceProbe.VERSION.matcher(version.output());
    if (!matcher.find()) {
      return new Check("util-linux", Status.FAIL, unshare.get() + " is not util-linux unshare ("
          + version.describe() + ")" + (given ? "; correct the path given with --unshare, or"
              : ";") + " install util-linux " + wanted);
    }
    int[] found = {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
    boolean ok = atLeast(found, new int[] {NamespaceProbe.MIN_MAJOR, needed});
    return new Check("util-linux", ok ? Status.OK : Status.FAIL, unshare.get() + " is "
        + found[0] + "." + found[1] + (ok ? " (needs " + wanted + ")"
            : ", too old: upgrade util-linux to " + wanted));
  }

  /**
   * Whether overlayfs can be mounted in namespaces as a child's: tried for real, in a throwaway
   * mount namespace (and user namespace, where children get one) over a temporary directory. As
   * root no user namespace is made, so neither the kernel's version for one nor its refusal
   * (seccomp, AppArmor) says anything about overlay mounts.
   */
  private static Check overlay(String kernel, NamespaceProbe.Outcome probe) {
    if (!(probe instanceof NamespaceProbe.Supported supported)) {
      return new Check("overlayfs", Status.WARN, "not tried: no working unshare");
    }
    UnshareCommand command = supported.command();
    String name = command.userNamespace() ? "overlayfs in a user namespace" : "overlayfs";
    if (command.userNamespace() && !overlayInUserNamespace(kernel)) {
      return new Check(name, Status.WARN, "Linux " + kernel + " cannot mount overlayfs in a user"
          + " namespace (5.11 or newer can); only needed by overlay mounts");
    }
    Path directory = null;
    try {
      directory = Files.createTempDirectory("isolated-mounts-doctor-");
      for (String sub : List.of("lower", "upper", "work", "merged")) {
        Files.createDirectory(directory.resolve(sub));
      }
      List<String> attempt = new ArrayList<>();
      attempt.add(command.executable());
      // In a user namespace as its root: the mount needs no capability kept over exec.
      attempt.addAll(command.userNamespace() ? List.of("--user", "--map-root-user", "--mount")
          : command.namespaceOptions());
      // --no-mtab: util-linux would otherwise make /run/mount for its own records, on the host
      // where /run is no tmpfs (a container's, say), though the mount is in the namespace.
      attempt.addAll(List.of("--propagation", "private", "mount", "--no-mtab", "-t", "overlay",
          "overlay", "-o", "lowerdir=" + directory.resolve("lower") + ",upperdir="
              + directory.resolve("upper") + ",workdir=" + directory.resolve("work"),
          directory.resolve("merged").toString()));
      NamespaceProbe.Run run = NamespaceProbe.run(attempt);
      return run.exitCode() == 0
          ? new Check(name, Status.OK, "mounted one in a throwaway "
              + (command.userNamespace() ? "user and mount namespace" : "mount namespace"))
          : new Check(name, Status.WARN, "refused: " + run.describe()
              + "; only needed by overlay mounts");
    } catch (IOException e) {
      return new Check(name, Status.WARN, "not tried: " + e.getMessage());
    } finally {
      deleteQuietly(directory);
    }
  }

  /** Whether Linux {@code kernel} (as {@code os.version} gives it) mounts overlays unprivileged. */
  public static boolean overlayInUserNamespace(String kernel) {
    Matcher matcher = KERNEL.matcher(kernel);
    return matcher.find() && atLeast(new int[] {
        Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))},
        OVERLAY_IN_USER_NAMESPACE);
  }

  private static boolean atLeast(int[] found, int[] needed) {
    return found[0] > needed[0] || found[0] == needed[0] && found[1] >= needed[1];
  }

  /** Overlayfs leaves its work directory's entry with mode 000: opened up before deleting. */
  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(path,
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (var entries = Files.list(path)) {
          entries.toList().forEach(HostChecks::deleteQuietly);
        }
      }
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException ignored) {
      // a leftover in the temp directory is not worth failing the doctor for
    }
  }
}
