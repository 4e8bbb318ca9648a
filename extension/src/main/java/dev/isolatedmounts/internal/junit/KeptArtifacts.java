package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.MountPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.UniqueId;

/**
 * The parent's side of keeping a failed test's mounts: chooses and empties
 * {@code target/isolated-mounts/<test>/} before the child starts, and afterwards attaches to the
 * failure where the files are and how to rebuild the namespace by hand.
 *
 * <p>The note is added as a suppressed exception rather than by rewriting the failure, so the
 * failure keeps its type, message and expected/actual values (IDE diffs); build tools print it
 * right below the failure's stack trace. It is also published as report entries.
 */
final class KeptArtifacts {

  static final String KEEP_ON_FAILURE = "isolatedmounts.keepOnFailure";
  private static final int MAX_NAME = 120;

  private KeptArtifacts() {}

  /** Whether the configuration turns keeping on for every isolated test. */
  static boolean configured(ExtensionContext context) {
    String value = context.getConfigurationParameter(KEEP_ON_FAILURE).orElse("false").trim();
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ExtensionConfigurationException("Configuration parameter "
          + KEEP_ON_FAILURE + " must be \"true\" or \"false\", but was \"" + value + "\"");
    };
  }

  /** Makes the test's directory afresh (a previous run's files would mislead); returns it. */
  static Optional<Path> prepare(MountPlan plan, String uniqueId) throws IOException {
    if (!plan.keepOnFailure()) {
      return Optional.empty();
    }
    Path directory = Path.of("target", "isolated-mounts", directoryName(uniqueId))
        .toAbsolutePath();
    delete(directory);
    Files.createDirectories(directory);
    return Optional.of(directory);
  }

  /** Removes the directory again if the test did not fail, so only failures leave files. */
  static void discard(Path directory) throws IOException {
    delete(directory);
  }

  /** The note added to the failure, or empty where the child kept nothing. */
  static Optional<KeptMountsNote> note(Path directory, MountPlan plan, boolean root) {
    Path relative = Path.of("").toAbsolutePath().relativize(directory);
    List<String> lines;
    try {
      lines = Files.readAllLines(directory.resolve("kept.txt"));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.isEmpty()) {
      return Optional.empty(); // set-up failed before any tmpfs or overlay was made
    }
    String command = ReproduceCommand.of(plan, directory, root);
    return Optional.of(new KeptMountsNote("The mounts of this failed test were kept in " + relative
        + "/ (" + String.join("; ", lines) + "). To rebuild its namespace by hand: " + command,
        relative.toString(), command));
  }

  /**
   * {@code [engine:junit-jupiter]/[class:a.KvTest]/[method:put()]} becomes {@code a.KvTest.put()}:
   * the segment values, file-name safe, shortened with a hash when long.
   */
  static String directoryName(String uniqueId) {
    List<UniqueId.Segment> segments = UniqueId.parse(uniqueId).getSegments();
    StringBuilder name = new StringBuilder();
    for (UniqueId.Segment segment : segments.subList(Math.min(1, segments.size()),
        segments.size())) {
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(segment.getValue());
    }
    String safe = name.toString().replaceAll("[^A-Za-z0-9._()#,=-]", "_");
    if (safe.length() > MAX_NAME) {
      safe = safe.substring(0, MAX_NAME) + "-" + Integer.toHexString(uniqueId.hashCode());
    }
    return safe;
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
