package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.Propagation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a child JVM is started, independent of the test it will run: children started the same
 * way are interchangeable, so one can be started before its test is known.
 *
 * @param namespaces the working unshare command
 * @param propagation the propagation the namespace starts with
 * @param readOnlyRoot whether the child gets a private {@code java.io.tmpdir} for a read-only root
 * @param trapExit whether the child starts with the agent that traps {@code System.exit}
 * @param classPath the child's class path entries
 * @param jvmOptions options for the child JVM, before the main class
 * @param cacheDirectory where the class-data-sharing archive lives; empty to start without one
 */
public record LaunchSpec(
    NamespaceProbe.Supported namespaces,
    Propagation propagation,
    boolean readOnlyRoot,
    boolean trapExit,
    List<String> classPath,
    List<String> jvmOptions,
    Optional<Path> cacheDirectory) {

  public LaunchSpec {
    classPath = List.copyOf(classPath);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** This spec with {@code more} JVM options after its own. */
  LaunchSpec withJvmOptions(String... more) {
    List<String> options = new java.util.ArrayList<>(jvmOptions);
    options.addAll(List.of(more));
    return new LaunchSpec(namespaces, propagation, readOnlyRoot, trapExit, classPath, options,
        cacheDirectory);
  }
}
