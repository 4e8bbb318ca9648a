package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A child that logs the classes it loads, so that its archive can be trained again to hold those
 * it lacked (see {@link LoadedClasses}). The log is in the child's directory, which goes with the
 * child: it is read as the child is closed, and looked at on a thread of its own.
 */
final class ClassListing {

  private final Path log;
  private final String option;
  private final Consumer<String> lacked;

  private ClassListing(Path log, String option, Consumer<String> lacked) {
    this.log = log;
    this.option = option;
    this.lacked = lacked;
  }

  /**
   * A listing into {@code childDirectory}, handed to {@code lacked} once the child has run its
   * test; empty when the log's path cannot be given to the JVM.
   */
  static Optional<ClassListing> into(Path childDirectory, Consumer<String> lacked) {
    Path log = childDirectory.resolve(LoadedClasses.LOG);
    return LoadedClasses.logOption(log).map(option -> new ClassListing(log, option, lacked));
  }

  /** The JVM option that writes the log. */
  String option() {
    return option;
  }

  /** Called once the child, which ran a test, has exited, before its directory is removed. */
  void childEnded() {
    String text;
    try {
      text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return; // the JVM did not get as far as writing it: nothing to learn
    }
    Daemon.start("isolated-mounts-classes", () -> lacked.accept(text));
  }
}
