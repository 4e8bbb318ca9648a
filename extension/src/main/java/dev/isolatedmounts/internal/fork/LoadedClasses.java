package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The classes a child loaded that its archive lacks, read from the child's class-loading log, and
 * the lists of class names an archive is trained to hold beyond the training test: so that the
 * libraries of the user's tests (Jackson, Spring, ...) are mapped from the archive too, not parsed
 * and verified again in every child. Nothing of the user's runs for it: the training child only
 * loads those classes by name, without initializing them.
 */
final class LoadedClasses {

  /** The log's name in the child's directory. */
  static final String LOG = "classes.log";
  /** At most this many names are kept for an archive: a bound, not a size any suite reaches. */
  static final int LIMIT = 50_000;
  /**
   * How many classes a child must have loaded beyond its archive for it to be trained again:
   * the test class and a few of the JDK's are no reason; a library's hundreds are, each of which
   * costs every child about a quarter of a millisecond of CPU to parse and verify (measured on
   * JDK 17), while a training costs seconds.
   */
  static final int RETRAIN_AT = 50;
  private static final String SOURCE = " source: ";

  private LoadedClasses() {}

  /**
   * The option that has a child log, undecorated, each class it loads and where from, into
   * {@code log}; empty when that path cannot be written in the option's syntax, or would be
   * changed by it ({@code %p} and {@code %t} are the JVM's pid and start time there).
   */
  static Optional<String> logOption(Path log) {
    String path = log.toString();
    if (path.chars().anyMatch(c -> c == ':' || c == ',' || c == '"' || c == '=' || c == '%'
        || Character.isWhitespace(c))) {
      return Optional.empty();
    }
    return Optional.of("-Xlog:class+load=info:file=" + path + ":none:filecount=0");
  }

  /**
   * The jars as the JVM names a class's source in its log: by their real path (symbolic links
   * resolved), which it gives as a URL.
   */
  static Set<Path> realPaths(Collection<String> jars) {
    Set<Path> paths = new LinkedHashSet<>();
    for (String jar : jars) {
      Path path = Path.of(jar).toAbsolutePath().normalize();
      try {
        paths.add(path.toRealPath());
      } catch (IOException | RuntimeException e) {
        paths.add(path); // gone: no class comes from it
      }
    }
    return paths;
  }

  /**
   * The names in a class-loading log that an archive could have held and did not (see {@link
   * Reading}), at most {@link #LIMIT} of them.
   */
  static Set<String> missing(String log, Collection<String> jars) {
    Reading reading = new Reading(realPaths(jars));
    log.lines().forEach(reading::line);
    return reading.names();
  }

  /**
   * Reads a class-loading log a line at a time, as a child writes it, and keeps the classes an
   * archive could have held and did not: those loaded from the JDK's modules or from one of the
   * jars, not from the archive ("shared objects file"), a directory (the test classes, which no
   * archive takes), another loader's jar or at run time (lambdas, proxies). Up to {@link #LIMIT}
   * names are kept, and nothing else of the log: a test that makes classes by the thousand does
   * not fill this JVM's heap.
   */
  static final class Reading {

    private final Set<Path> jars;
    /** Whether a file source is one of the jars: a log has few, each on many lines. */
    private final Map<String, Boolean> fromJar = new HashMap<>();
    private final Set<String> names = new LinkedHashSet<>();

    /** @param jars the class path's jars, as {@link #realPaths} gives them */
    Reading(Set<Path> jars) {
      this.jars = jars;
    }

    void line(String line) {
      int at = line.indexOf(SOURCE);
      if (at <= 0 || names.size() >= LIMIT) {
        return; // a line cut short by a killed JVM, or not a class; or enough
      }
      String name = line.substring(0, at);
      String source = line.substring(at + SOURCE.length()).strip();
      if (name.indexOf('/') < 0 && name.indexOf(' ') < 0
          && (source.startsWith("jrt:/") || source.startsWith("file:")
          && fromJar.computeIfAbsent(source, this::isJar))) {
        names.add(name);
      }
    }

    private boolean isJar(String source) {
      try {
        return jars.contains(Path.of(URI.create(source)));
      } catch (IllegalArgumentException | FileSystemNotFoundException e) {
        return false; // not a URL the JVM would write for a jar
      }
    }

    Set<String> names() {
      return names;
    }
  }

  /**
   * The names a child loaded that are new to its archive, if there are at least {@link
   * #RETRAIN_AT} of them: reason enough to train it again with them. A name the archive holds or
   * was tried with (one the JDK would not archive, or that broke a training) is no reason, nor is
   * any once the archive holds {@link #LIMIT} names.
   */
  static Optional<Set<String>> beyond(Set<String> missing, TrainedClasses trained) {
    Set<String> known = trained.known();
    // Up to the limit: names past it would be dropped and found missing again in every run.
    List<String> beyond = missing.stream()
        .filter(name -> !known.contains(name))
        .limit(Math.max(0, LIMIT - trained.held().size())).toList();
    return beyond.size() < RETRAIN_AT ? Optional.empty()
        : Optional.of(new LinkedHashSet<>(beyond));
  }

  /**
   * What to train an archive with to add {@code added} to what it was trained with {@code
   * before}, read as the training starts: another JVM that shares the cache (Surefire's forks,
   * each listing its own children) may have added names of its own meanwhile, which must not be
   * dropped. Empty if fewer than {@link #RETRAIN_AT} of them are new to it by then.
   */
  static Optional<TrainedClasses> adding(TrainedClasses before, Set<String> added) {
    return beyond(added, before).map(fresh -> {
      Set<String> held = new LinkedHashSet<>(before.held());
      held.addAll(fresh);
      return new TrainedClasses(held, before.tried());
    });
  }
}
