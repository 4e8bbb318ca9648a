package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.fork.JvmOption;
import dev.isolatedmounts.internal.linux.ProcessStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a child inherits from this JVM and from the configuration: JVM options, system
 * properties, configuration parameters, and the {@code isolatedmounts.*} settings.
 */
final class ChildSettings {

  static final String UNSUPPORTED = "isolatedmounts.unsupported";
  static final String UNSHARE = "isolatedmounts.unshare";
  static final String CONNECT_TIMEOUT = "isolatedmounts.connectTimeout";
  static final String JVM_ARGS = "isolatedmounts.jvmArgs";
  static final String DEFAULT_JVM_ARGS = "isolatedmounts.defaultJvmArgs";
  static final String CDS = "isolatedmounts.cds";
  static final String CACHE_DIR = "isolatedmounts.cacheDir";
  static final String POOL = "isolatedmounts.pool";

  /**
   * Options for a JVM that lives for one test, each measured (see README, Performance): the C1
   * compiler only (C2 would spend more time compiling than the test runs), and that compiling
   * only methods run ten times as often as usual (about a third of a child's CPU went to
   * compiling code that runs a few hundred times, once), the serial collector (no GC threads to
   * start for a small heap), no perf-data file in /tmp, class-data sharing.
   */
  static final List<String> DEFAULT_JVM_OPTIONS = List.of(
      "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10", "-XX:+UseSerialGC",
      "-XX:-UsePerfData", "-Xshare:auto");
  static final String TIMEOUT = "isolatedmounts.timeout";
  static final String DEBUG = "isolatedmounts.debug";
  private static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";
  private static final String NATIVE_ACCESS = "--enable-native-access";
  private static final String ALL_UNNAMED = "ALL-UNNAMED";

  /**
   * Configuration parameters a test's behaviour may depend on. Parameters from
   * junit-platform.properties and system properties reach the child anyway; these are the ones
   * that may have been given to this JVM's launcher directly. Where the launcher tells its
   * parameters (see {@link LauncherSettings}), all of them are given, these too.
   */
  private static final List<String> FORWARDED_PARAMETERS = List.of(
      "junit.jupiter.execution.timeout.default",
      "junit.jupiter.execution.timeout.testable.method.default",
      "junit.jupiter.execution.timeout.test.method.default",
      "junit.jupiter.execution.timeout.testtemplate.method.default",
      "junit.jupiter.execution.timeout.testfactory.method.default",
      "junit.jupiter.execution.timeout.lifecycle.method.default",
      "junit.jupiter.execution.timeout.beforeall.method.default",
      "junit.jupiter.execution.timeout.beforeeach.method.default",
      "junit.jupiter.execution.timeout.aftereach.method.default",
      "junit.jupiter.execution.timeout.afterall.method.default",
      "junit.jupiter.execution.timeout.mode",
      "junit.jupiter.execution.timeout.thread.mode.default",
      "junit.jupiter.displayname.generator.default",
      "junit.jupiter.testinstance.lifecycle.default",
      "junit.jupiter.extensions.autodetection.enabled",
      "junit.jupiter.extensions.autodetection.include",
      "junit.jupiter.extensions.autodetection.exclude",
      "junit.jupiter.conditions.deactivate",
      "junit.jupiter.tempdir.cleanup.mode.default",
      "junit.jupiter.tempdir.factory.default",
      "junit.jupiter.params.displayname.default",
      "junit.jupiter.params.argumentCountValidation",
      "junit.jupiter.extensions.testinstantiation.extensioncontextscope.default",
      // The child writes published files where the parent would: they need no copy.
      "junit.platform.reporting.output.dir",
      UNSUPPORTED, UNSHARE, CONNECT_TIMEOUT, JVM_ARGS, DEFAULT_JVM_ARGS, CDS, CACHE_DIR, POOL);

  /** Set by the JVM itself, or meaningless in another process. */
  private static final List<String> LOCAL_PROPERTY_PREFIXES = List.of(
      "java.", "jdk.", "sun.", "os.", "user.", "file.", "line.separator", "path.separator",
      "native.encoding", "stdout.encoding", "stderr.encoding", "awt.", "isolatedmounts.child.");

  private ChildSettings() {}

  /**
   * The configuration parameters the child's launcher is given: those listed above, and every one
   * of {@code launcherKeys}, the keys the launcher here was given (a test's own extension may read
   * any key, Surefire's {@code configurationParameters} or a suite's
   * {@code @ConfigurationParameter} may give it); until this version only the listed ones. Left
   * out: this JVM's own properties, output capture (the child's output is replayed here, where
   * capture already happens), parallel execution (one test, one thread), and, of the launcher's,
   * a system property's value, which the child has as a system property too: the launcher counts
   * every system property among its parameters.
   */
  static Map<String, String> configurationParameters(ExtensionContext context,
      Set<String> launcherKeys) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String key : FORWARDED_PARAMETERS) {
      context.getConfigurationParameter(key).ifPresent(value -> parameters.put(key, value));
    }
    launcherKeys.stream().sorted().filter(ChildSettings::forwarded).forEach(key ->
        context.getConfigurationParameter(key)
            .filter(value -> !value.equals(System.getProperty(key)))
            .ifPresent(value -> parameters.putIfAbsent(key, value)));
    parameters.put(PARALLEL, "false");
    return parameters;
  }

  private static boolean forwarded(String key) {
    return LOCAL_PROPERTY_PREFIXES.stream().noneMatch(key::startsWith)
        && !key.startsWith("junit.platform.output.capture.")
        && !key.startsWith("junit.jupiter.execution.parallel.");
  }

  /** The JVM options chosen for children: {@code isolatedmounts.jvmArgs}, then the test's own. */
  static List<String> chosenJvmOptions(ExtensionContext context, List<String> declared) {
    List<String> chosen = new ArrayList<>(
        context.getConfigurationParameter(JVM_ARGS)
            .map(value -> JvmArguments.split(JVM_ARGS, value)).orElse(List.of()));
    chosen.addAll(declared);
    return chosen;
  }

  /**
   * Refuses a {@code java.io.tmpdir} a test's own {@code @IsolatedMounts(jvmArgs)} chooses for a
   * child whose root is read-only: the child's own, a private tmpfs, is set after every other
   * option (see {@code HermeticJvmOptions}), and would replace it in silence. One of the whole
   * run's ({@code isolatedmounts.jvmArgs}, this JVM's own) is replaced as ever: it was not chosen
   * for this test.
   */
  static void refuseTmpDirUnderReadOnlyRoot(List<String> declared) {
    declared.stream()
        .filter(option -> JvmOption.property(option).filter("java.io.tmpdir"::equals).isPresent())
        .findFirst().ifPresent(option -> {
          throw new ExtensionConfigurationException("@IsolatedMounts(readOnlyRoot = true) gives"
              + " the child a private, writable java.io.tmpdir of its own (so @TempDir works under"
              + " the read-only root), which would replace " + option + ", chosen in"
              + " @IsolatedMounts(jvmArgs): remove it, or set readOnlyRoot = false to have the"
              + " directory it names");
        });
  }

  /**
   * Where the JVM options chosen for a test came from, for the message of a child that exits
   * before it connects, as a JVM that refuses an option does: its own words name the option, not
   * where it was set. Empty where none were chosen.
   */
  static String chosenOptionsOrigin(ExtensionContext context, List<String> declared) {
    List<String> origins = new ArrayList<>();
    for (String key : List.of(DEFAULT_JVM_ARGS, JVM_ARGS)) {
      context.getConfigurationParameter(key).map(value -> JvmArguments.split(key, value))
          .filter(options -> !options.isEmpty())
          .ifPresent(options -> origins.add("configuration parameter " + key + ": " + options));
    }
    if (!declared.isEmpty()) {
      origins.add("@IsolatedMounts(jvmArgs): " + declared);
    }
    return origins.isEmpty() ? "" : "JVM options chosen for it, any of which its JVM may have"
        + " refused: " + String.join("; ", origins);
  }

  /**
   * Properties set on the command line or at run time (Surefire's systemPropertyVariables), less
   * those that the options {@code chosen} for the child set: the child sets these after its
   * start, and a {@code -D} chosen for the child must win.
   */
  static Map<String, String> systemProperties(List<String> chosen) {
    Set<String> set = chosen.stream().flatMap(option -> JvmOption.property(option).stream())
        .collect(Collectors.toSet());
    Map<String, String> properties = new LinkedHashMap<>();
    System.getProperties().forEach((key, value) -> {
      String name = String.valueOf(key);
      if (value instanceof String text && !set.contains(name)
          && LOCAL_PROPERTY_PREFIXES.stream().noneMatch(name::startsWith)) {
        properties.put(name, text);
      }
    });
    return properties;
  }

  /**
   * The child's JVM options, later ones winning: the defaults (or
   * {@code isolatedmounts.defaultJvmArgs}), this JVM's own options, then those {@code chosen} for
   * the child ({@link #chosenJvmOptions}).
   */
  static List<String> jvmOptions(ExtensionContext context, List<String> chosen) {
    List<String> given = new ArrayList<>(inheritedJvmOptions());
    given.addAll(chosen);
    return merge(context.getConfigurationParameter(DEFAULT_JVM_ARGS)
        .map(value -> JvmArguments.split(DEFAULT_JVM_ARGS, value)).orElse(DEFAULT_JVM_OPTIONS),
        given);
  }

  /** The defaults, less those a given option replaces, then the given options. */
  static List<String> merge(List<String> defaults, List<String> given) {
    List<String> options = new ArrayList<>();
    for (String option : defaults) {
      // Two collectors, or two sharing modes, would stop the JVM from starting. (JDK 25 refuses
      // its ahead-of-time cache options beside any -Xshare.)
      if (!(JvmOption.choosesCollector(option) && given.stream()
              .anyMatch(JvmOption::choosesCollector))
          && !(option.startsWith("-Xshare:") && given.stream()
              .anyMatch(JvmOption::decidesSharing))) {
        options.add(option);
      }
    }
    options.addAll(given);
    return options;
  }

  /**
   * This JVM's options, except a debugger agent, whose port the child could not share, and with
   * JaCoCo's agent leaving the test machinery uninstrumented ({@link CoverageAgent}); on Java 24
   * and newer with native access enabled for the class path, since the child's JNA calls mount(2)
   * and the JVM would otherwise print a restricted-method warning into every test's stderr.
   */
  static List<String> inheritedJvmOptions() {
    List<String> options = new ArrayList<>(CoverageAgent.leaner(ManagementFactory
        .getRuntimeMXBean().getInputArguments())
        .stream()
        .filter(option -> !option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")
            && !option.equals("-Xdebug"))
        .toList());
    return Runtime.version().feature() >= 24 ? withNativeAccess(options) : options;
  }

  /**
   * {@code options} with native access enabled for the class path, where the child's JNA is: a
   * module list of the user's that lacks it gets {@code ALL-UNNAMED} added to it, rather than a
   * second option beside it.
   */
  static List<String> withNativeAccess(List<String> options) {
    List<String> with = new ArrayList<>(options);
    for (int i = 0; i < with.size(); i++) {
      String option = with.get(i);
      int value = option.startsWith(NATIVE_ACCESS + "=") ? i
          : option.equals(NATIVE_ACCESS) && i + 1 < with.size() ? i + 1 : -1;
      if (value >= 0) {
        String modules = with.get(value);
        if (!List.of(modules.substring(modules.indexOf('=') + 1).split(",")).contains(
            ALL_UNNAMED)) {
          with.set(value, modules + "," + ALL_UNNAMED);
        }
        return with;
      }
    }
    with.add(NATIVE_ACCESS + "=" + ALL_UNNAMED);
    return with;
  }

  /**
   * Where the class-data-sharing archive is kept, or empty when sharing is off: the build
   * directory of the module under test when there is one, else a temp directory of this user's
   * alone, if it can be had (see {@link PrivateCacheDirectory}).
   */
  static Optional<Path> cacheDirectory(ExtensionContext context) {
    String enabled = context.getConfigurationParameter(CDS).orElse("true").trim();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new ExtensionConfigurationException("Configuration parameter " + CDS
          + " must be \"true\" or \"false\", but was \"" + enabled + "\"");
    }
    if (enabled.equals("false")) {
      return Optional.empty();
    }
    Optional<String> configured = context.getConfigurationParameter(CACHE_DIR);
    if (configured.isPresent()) {
      return Optional.of(configuredCacheDirectory(configured.get()));
    }
    Path workingDirectory = Path.of(System.getProperty("user.dir"));
    for (String build : List.of("target", "build")) {
      if (Files.isDirectory(workingDirectory.resolve(build))) {
        return Optional.of(workingDirectory.resolve(build).resolve("isolated-mounts-cache"));
      }
    }
    return PrivateCacheDirectory.in(Path.of(System.getProperty("java.io.tmpdir")),
        ProcessStatus.effectiveUid());
  }

  /** The configured cache directories made or found in this JVM. */
  private static final Set<Path> CHECKED_CACHE_DIRECTORIES =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The cache directory {@code value} names: an empty one would be the working directory. */
  static Path configuredCacheDirectory(String value) {
    if (value.isBlank()) {
      throw new ExtensionConfigurationException("Configuration parameter " + CACHE_DIR + " must"
          + " name a directory, but was empty, which would put the archives in the working"
          + " directory; give a path such as \"target/isolated-mounts-cache\", leave it unset for"
          + " the default (the build directory's isolated-mounts-cache), or set " + CDS
          + "=false to keep no archive");
    }
    Path directory = Path.of(value.trim()).toAbsolutePath();
    if (CHECKED_CACHE_DIRECTORIES.contains(directory)) {
      return directory; // once per run: every isolated test asks
    }
    // Made now, not when the first archive is: a path that cannot be one would otherwise only
    // leave every child without the archive, silently.
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new ExtensionConfigurationException("Configuration parameter " + CACHE_DIR + " must"
          + " name a directory, but " + directory + " is a file; give a directory, or set " + CDS
          + "=false to keep no archive");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException | RuntimeException e) {
      throw new ExtensionConfigurationException("Configuration parameter " + CACHE_DIR + " names "
          + directory + ", which could not be made (" + e + "); give a directory this user can"
          + " write, or set " + CDS + "=false to keep no archive", e);
    }
    // One this user cannot write in is taken: children use the archives already there (an image's
    // read-only layer, a CI cache mounted read-only), and none is trained (ClassDataSharing).
    CHECKED_CACHE_DIRECTORIES.add(directory);
    return directory;
  }

  /** How many children wait, started, for the next test of the same kind; 0 turns this off. */
  static int poolSize(ExtensionContext context) {
    return wholeNumber(POOL, context.getConfigurationParameter(POOL).orElse("1").trim(), 0, 64,
        "a number of children from 0 (none started ahead) to 64", "");
  }

  static boolean abortWhenUnsupported(ExtensionContext context) {
    String value = context.getConfigurationParameter(UNSUPPORTED).orElse("fail").trim();
    return switch (value) {
      case "fail" -> false;
      case "abort" -> true;
      default -> throw new ExtensionConfigurationException("Configuration parameter "
          + UNSUPPORTED + " must be \"fail\" or \"abort\", but was \"" + value + "\"");
    };
  }

  /** The port {@value #DEBUG} asks a child to wait for a debugger on, if it is set. */
  static Optional<Integer> debugPort(ExtensionContext context) {
    return context.getConfigurationParameter(DEBUG).map(String::trim).filter(s -> !s.isEmpty())
        .map(ChildSettings::debugPort);
  }

  static int debugPort(String value) {
    return wholeNumber(DEBUG, value, 1, 65535, "a TCP port from 1 to 65535 for the child JVM's"
        + " debugger to attach to, such as \"5005\"",
        "; leave it unset to run children without one");
  }

  private static int wholeNumber(String key, String value, int min, int max, String expected,
      String advice) {
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below, with the value
    }
    throw new ExtensionConfigurationException("Configuration parameter " + key + " must be "
        + expected + ", but was \"" + value + "\"" + advice);
  }

  /**
   * The JDWP agent of a child that listens on {@code port} and waits, suspended before its main
   * class, until a debugger attaches: breakpoints in set-up code are hit too.
   */
  static String debugAgent(int port) {
    return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=" + port;
  }

  static Optional<String> unshare(ExtensionContext context) {
    return context.getConfigurationParameter(UNSHARE).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The longest duration a setting may give. */
  static final Duration LONGEST = Duration.ofDays(1000);

  static Duration connectTimeout(ExtensionContext context) {
    return duration(context, CONNECT_TIMEOUT, "60s");
  }

  /**
   * The hard limit on one child's whole life, beyond JUnit's own {@code @Timeout}: generous by
   * default, since it is there for hangs that JUnit cannot interrupt (a deadlock in native code, a
   * stuck {@code @AfterAll}, a child that never exits).
   */
  static Duration timeout(ExtensionContext context) {
    return duration(context, TIMEOUT, "30m");
  }

  private static Duration duration(ExtensionContext context, String key, String fallback) {
    return duration(key, context.getConfigurationParameter(key).orElse(fallback).trim());
  }

  /** The duration {@code value} gives for the setting {@code key}, or why it gives none. */
  static Duration duration(String key, String value) {
    Duration duration = parseDuration(value);
    if (duration == null || duration.isZero()) {
      throw new ExtensionConfigurationException(invalidDuration(key, value));
    }
    if (duration.compareTo(LONGEST) > 0) {
      // Deadlines count in nanoseconds: past 292 years they overflow, and a test would be killed
      // at once.
      throw new ExtensionConfigurationException("Configuration parameter " + key + " must be at"
          + " most " + LONGEST.toHours() + "h (1000 days), but was \"" + value + "\"; for a"
          + " limit no test will meet, give \"" + LONGEST.toHours() + "h\"");
    }
    return duration;
  }

  /**
   * A duration as messages print it ({@code ChildProcess.format}): whole hours, minutes, seconds
   * and milliseconds, each at most once and in that order ({@code 1h30m}, {@code 90s},
   * {@code 1m30s}, {@code 500ms}); seconds may have a fraction ({@code 1.5s}), as the ISO-8601
   * form read until this version allowed; null for anything else.
   */
  static Duration parseDuration(String value) {
    String text = value.toLowerCase(java.util.Locale.ROOT);
    List<String> units = List.of("h", "m", "s", "ms");
    Duration duration = Duration.ZERO;
    int next = 0; // the first unit still allowed
    int at = 0;
    while (at < text.length()) {
      int digits = digitsFrom(text, at);
      int fraction = digits;
      if (digits < text.length() && text.charAt(digits) == '.') {
        fraction = digitsFrom(text, digits + 1);
        if (fraction == digits + 1) {
          return null;
        }
      }
      int unitEnd = fraction;
      while (unitEnd < text.length() && Character.isLetter(text.charAt(unitEnd))) {
        unitEnd++;
      }
      int unit = units.indexOf(text.substring(fraction, unitEnd));
      if (digits == at || digits - at > 9 || fraction - digits > 10 || unit < next
          || (fraction > digits && unit != 2)) {
        return null;
      }
      long amount = Long.parseLong(text.substring(at, digits));
      duration = duration.plus(switch (unit) {
        case 0 -> Duration.ofHours(amount);
        case 1 -> Duration.ofMinutes(amount);
        case 2 -> Duration.ofSeconds(amount);
        default -> Duration.ofMillis(amount);
      });
      if (fraction > digits) {
        String nanos = (text.substring(digits + 1, fraction) + "000000000").substring(0, 9);
        duration = duration.plusNanos(Long.parseLong(nanos));
      }
      next = unit + 1;
      at = unitEnd;
    }
    return at == 0 ? null : duration;
  }

  private static int digitsFrom(String text, int from) {
    int end = from;
    while (end < text.length() && Character.isDigit(text.charAt(end))) {
      end++;
    }
    return end;
  }

  private static String invalidDuration(String key, String value) {
    return "Configuration parameter " + key + " must be a positive duration such as \"60s\","
        + " \"2m\", \"1h30m\" or \"500ms\" (hours, minutes, seconds and milliseconds, each"
        + " at most once, in that order), but was \"" + value + "\"";
  }
}
