package dev.isolatedmounts.internal.junit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses an {@code isolatedmounts.*} key that is no setting: a misspelled one would otherwise be
 * ignored without a word. It looks in the system properties, in {@code junit-platform.properties}
 * and, where the launcher ran this extension's session listener (JUnit 5.13 and later, as under
 * Surefire, Gradle and IDEs), in the parameters given to the launcher itself, which an extension
 * alone cannot list (see {@link LauncherSettings}).
 */
final class UnknownSettings {

  static final Set<String> KNOWN = Set.of(ChildSettings.UNSUPPORTED, ChildSettings.UNSHARE,
      ChildSettings.CONNECT_TIMEOUT, ChildSettings.JVM_ARGS, ChildSettings.DEFAULT_JVM_ARGS,
      ChildSettings.POOL, ChildSettings.CDS, ChildSettings.CACHE_DIR, ChildSettings.TIMEOUT,
      KeptArtifacts.KEEP_ON_FAILURE, ChildSettings.DEBUG);
  static final String PREFIX = "isolatedmounts.";
  /** What the extension sets for its children, not a user's setting. */
  private static final String INTERNAL = "isolatedmounts.child.";

  private UnknownSettings() {}

  /**
   * What is wrong with the settings found, if anything.
   *
   * @param launcherKeys the keys of the launcher's configuration parameters that {@link
   *     #concerns} this check ({@code isolatedmounts.*}, and those with the prefix misspelt), which
   *     hold the system properties' and the file's too
   */
  static Optional<String> find(ClassLoader loader, Set<String> launcherKeys) {
    return find(loader, launcherKeys, Set.of());
  }

  /**
   * @param suiteKeys the keys a suite the test runs in gives (see {@link SuiteParameters}), which
   *     reach its launcher only
   */
  static Optional<String> find(ClassLoader loader, Set<String> launcherKeys,
      Set<String> suiteKeys) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      sources.put(name, "a system property");
    }
    URL file = loader == null ? null : loader.getResource("junit-platform.properties");
    if (file != null) {
      Properties properties = new Properties();
      try (InputStream in = file.openStream()) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        // JUnit reports a file it cannot read; nothing to check here
      }
      for (String name : properties.stringPropertyNames()) {
        sources.putIfAbsent(name, fileSource(file));
      }
    }
    for (String name : new TreeSet<>(launcherKeys)) {
      sources.putIfAbsent(name, "a configuration parameter given to the launcher");
    }
    for (String name : new TreeSet<>(suiteKeys)) {
      sources.putIfAbsent(name, "a configuration parameter of the suite");
    }
    return problem(sources);
  }

  /** Where a build copies a resource from: the file a user edits. */
  private static final List<List<String>> RESOURCE_COPIES = List.of(
      List.of("/target/test-classes/", "src/test/resources"),
      List.of("/target/classes/", "src/main/resources"),
      List.of("/build/resources/test/", "src/test/resources"),
      List.of("/build/resources/main/", "src/main/resources"));

  /**
   * Where the file was found, and the file it was copied from, if a build copied it there: the
   * copy is what the class path names, but it is the source that needs correcting.
   */
  static String fileSource(URL file) {
    String path = file.getPath();
    for (List<String> copy : RESOURCE_COPIES) {
      if (file.getProtocol().equals("file")
          && path.endsWith(copy.get(0) + "junit-platform.properties")) {
        return "in " + file + ", the build's copy of " + copy.get(1)
            + "/junit-platform.properties";
      }
    }
    return "in " + file;
  }

  /** Whether {@code key} is one {@link #problem} looks at: ours, or near ours but for its prefix. */
  static boolean concerns(String key) {
    return key.startsWith(PREFIX) || MISSPELT_PREFIX.matcher(key).matches();
  }

  /**
   * @param sources each key found, with where it was found
   */
  static Optional<String> problem(Map<String, String> sources) {
    List<String> problems = new ArrayList<>();
    sources.forEach((key, source) -> {
      boolean ours = key.startsWith(PREFIX) && !key.startsWith(INTERNAL) && !KNOWN.contains(key);
      // isolatedMounts.timeout, isolated-mounts.timeout: the prefix misspelt, the key ignored.
      // Only near a setting: isolated-mounts.version is a build's property for this library.
      boolean misspeltPrefix = !key.startsWith(PREFIX) && MISSPELT_PREFIX.matcher(key).matches()
          && closest(key).isPresent();
      if (ours || misspeltPrefix) {
        problems.add(key + " (" + source + closest(key)
            .map(known -> "; did you mean " + known + "?").orElse("") + ")");
      }
    });
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    boolean one = problems.size() == 1;
    return Optional.of((one ? "Configuration parameter " : "Configuration parameters ")
        + String.join(", ", problems) + (one ? " is not a setting" : " are not settings")
        + " of isolated-mounts and would be ignored: correct or remove " + (one ? "it" : "them")
        + ". The settings are " + String.join(", ", new TreeSet<>(KNOWN)) + ".");
  }

  private static final java.util.regex.Pattern MISSPELT_PREFIX =
      java.util.regex.Pattern.compile("(?i)isolated[._-]?mounts?[._-].+");

  /**
   * The setting a misspelled key most likely meant: the same but for case and punctuation, or a
   * few edits.
   */
  private static Optional<String> closest(String key) {
    String typed = compact(key);
    return KNOWN.stream()
        .filter(known -> distance(compact(known), typed) <= 3)
        .min(Comparator.comparingInt(known -> distance(compact(known), typed)));
  }

  /** A key in lower case without its dots, dashes and underscores. */
  private static String compact(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[._-]", "");
  }

  /** Levenshtein's edit distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
