package dev.isolatedmounts.internal.fork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kind of archive a JDK makes of a child's classes, with the options that write, use and
 * check one.
 */
enum ArchiveFormat {

  /**
   * JDK 17 to 24: a dynamic class-data-sharing archive, written at exit. Classes are mapped
   * instead of parsed and verified, but still linked in every child.
   *
   * <p>The archives are mapped where they were written to be, not at a random address (the
   * default from JDK 20 on, and in the JDK 17 builds here, for address-space randomization):
   * relocating the JDK's archive and ours costs every child about 5 ms of CPU (measured on JDK
   * 17), and a test JVM gains nothing from the randomness. Where that address is taken, the JVM
   * relocates as before. The flag is a diagnostic one; the archive's check uses it too, so a JDK
   * without it gets no archive rather than children that cannot start.
   */
  DYNAMIC_CDS(".jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=",
      List.of("-Xshare:auto", "-Xlog:cds*=off", "-XX:+UnlockDiagnosticVMOptions",
          "-XX:ArchiveRelocationMode=0"),
      List.of("-Xshare:on", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0")),

  /**
   * JDK 25 and later: an ahead-of-time cache (JEP 483 and 514), also written at exit, whose
   * classes are loaded and linked already, lambdas and all: a child starts in about two thirds of
   * the time it takes with a dynamic archive. The JDK refuses it beside any {@code -Xshare}
   * option, even the default one, which is therefore dropped.
   *
   * <p>The cache also holds the training run's method profiles (JEP 515), which a JVM replays on
   * a thread of its own at start so its JIT can compile early what was hot. A child compiles
   * with C1 alone and lives for one test: the replay cost it about 8% of its CPU, for nothing
   * (measured on JDK 25), so it is turned off. That flag is a diagnostic one; the cache's check
   * uses it too, so a JDK without it gets no cache rather than children that cannot start.
   */
  AOT_CACHE(".aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=",
      List.of("-Xlog:aot*=off", "-Xlog:cds*=off", "-XX:+UnlockDiagnosticVMOptions",
          "-XX:-AOTReplayTraining"),
      List.of("-XX:AOTMode=on", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining"));

  private final String suffix;
  private final String write;
  private final String use;
  /**
   * Beside the archive when it is used. The JVM reports trouble with an archive (such as options
   * the JDK's own archive was not made with) on stdout, where it would become the test's output;
   * it falls back by itself, so those lines are turned off.
   */
  private final List<String> useAlso;
  /** Beside the archive when it is checked: the JVM fails to start unless it can use it. */
  private final List<String> checkAlso;

  ArchiveFormat(String suffix, String write, String use, List<String> useAlso,
      List<String> checkAlso) {
    this.suffix = suffix;
    this.write = write;
    this.use = use;
    this.useAlso = useAlso;
    this.checkAlso = checkAlso;
  }

  static ArchiveFormat of(Runtime.Version version) {
    return version.feature() >= 25 ? AOT_CACHE : DYNAMIC_CDS;
  }

  /**
   * Whether a JVM with a Java agent ({@code -javaagent}, JaCoCo's say) writes this kind of
   * archive. JDK 17 to 24 refuse ("Must enable AllowArchivingWithJavaAgent"), and that diagnostic
   * flag has every JVM that uses the archive print a warning that it is for testing only.
   */
  boolean writtenWithJavaAgents() {
    return this == AOT_CACHE;
  }

  /** The file name's ending: archives of both kinds may share a cache directory. */
  String suffix() {
    return suffix;
  }

  /** The option that has a JVM write the archive when it exits. */
  String writeOption(Path file) {
    return write + file;
  }

  /** The options that start a child with the archive. */
  List<String> useOptions(Path file) {
    return concat(List.of(use + file), useAlso);
  }

  /** The options with which a JVM fails to start unless it can use the archive. */
  List<String> checkOptions(Path file) {
    return concat(List.of(use + file), checkAlso);
  }

  /** The user's and default options, less any this kind of archive cannot be used with. */
  List<String> compatible(List<String> options) {
    return this == AOT_CACHE
        ? options.stream().filter(option -> !option.equals("-Xshare:auto")).toList()
        : options;
  }

  /**
   * The options that start a child with the archive: {@code options}, then the archive's, less
   * a {@code -XX:} flag that {@code options} already sets either way (the user's choice).
   */
  List<String> withArchive(List<String> options, Path file) {
    // The unlocking is always added, after the user's options: it unlocks only the archive's own
    // diagnostic flag, since a user's diagnostic flag needs an unlocking before it anyway.
    List<String> archive = useOptions(file).stream()
        .filter(option -> option.startsWith("-XX:+Unlock") || JvmOption.flag(option)
            .filter(flag -> JvmOption.setsFlag(options, flag)).isEmpty())
        .toList();
    return concat(compatible(options), archive);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
