package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
   * {@code log}; empty when that path cannot be written in the option's syntax.
   */
  static Optional<String> logOption(Path log) {
    String path = log.toString();
    if (path.chars().anyMatch(c -> c == ':' || c == ',' || c == '"' || c == '='
        || Character.isWhitespace(c))) {
      return Optional.empty();
    }
    return Optional.of("-Xlog:class+load=info:file=" + path + ":none:filecount=0");
  }

  /**
   * The names in a class-loading log that an archive could have held and did not: loaded from
   * the JDK's modules or from one of {@code jars}, not from the archive ("shared objects file"),
   * a directory (the test classes, which no archive takes), another loader's jar or at run time
   * (lambdas, proxies).
   */
  static Set<String> missing(String log, Collection<String> jars) {
    Set<String> jarSources = new LinkedHashSet<>();
    for (String jar : jars) {
      jarSources.add("file:" + Path.of(jar).toAbsolutePath().normalize());
    }
    Set<String> names = new LinkedHashSet<>();
    for (String line : log.split("\n")) {
      int at = line.indexOf(SOURCE);
      if (at <= 0) {
        continue; // a line cut short by a killed JVM, or not a class
      }
      String name = line.substring(0, at);
      String source = line.substring(at + SOURCE.length()).strip();
      if (name.indexOf('/') < 0 && name.indexOf(' ') < 0
          && (source.startsWith("jrt:/") || jarSources.contains(source))) {
        names.add(name);
      }
    }
    return names;
  }

  /** The names in {@code file}, one per line; none if there is no such file. */
  static Set<String> read(Path file) {
    try {
      return new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(name -> !name.isEmpty()).limit(LIMIT).toList());
    } catch (NoSuchFileException e) {
      return new LinkedHashSet<>();
    } catch (IOException | RuntimeException e) {
      return new LinkedHashSet<>(); // trained without them, as before there were any
    }
  }

  /** Writes {@code names}, at most {@link #LIMIT} of them, one per line. */
  static void write(Path file, Collection<String> names) throws IOException {
    Files.write(file, names.stream().limit(LIMIT).toList(), StandardCharsets.UTF_8);
  }

  /**
   * What to train an archive with, given a child's class-loading log and the names it was trained
   * with: those and the log's missing ones, if at least {@link #RETRAIN_AT} of these are new.
   * A name the archive was trained with and still lacks (one the JDK would not archive) is no
   * reason to train it again, nor is any once the archive was trained with {@link #LIMIT} names.
   */
  static Optional<Set<String>> retraining(String log, Collection<String> jars,
      Set<String> trained) {
    // Up to the limit: names past it would be dropped and found missing again in every run.
    List<String> beyond = missing(log, jars).stream()
        .filter(name -> !trained.contains(name))
        .limit(Math.max(0, LIMIT - trained.size())).toList();
    if (beyond.size() < RETRAIN_AT) {
      return Optional.empty();
    }
    Set<String> classes = new LinkedHashSet<>(trained);
    classes.addAll(beyond);
    return Optional.of(classes);
  }
}
