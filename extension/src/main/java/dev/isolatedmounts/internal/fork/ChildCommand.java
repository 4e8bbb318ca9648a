package dev.isolatedmounts.internal.fork;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command that starts a child: {@code unshare} (below {@code setpriv}, when there is one)
 * running the child JVM with its options in an argument file in the child's directory.
 */
final class ChildCommand {

  private ChildCommand() {}

  /** Where the child JVM writes its report if it crashes. */
  static Path crashReport(ChildSocket socket) {
    return Path.of(System.getProperty("user.dir"),
        "hs_err_" + socket.directory().getFileName() + ".log");
  }

  /**
   * The command, and what the child's class-loading log goes to once it has run its test, if it
   * writes one (see {@link ClassListing}).
   */
  record Line(List<String> command, Optional<ClassListing> listing) {}

  static Line of(LaunchSpec spec, ChildSocket socket, String mainClass,
      Path crashReport) throws IOException {
    // JDK 25's cache is used only by JVMs with the agents it was made with: there the exit
    // trap's agent is one of the options the archive is named by and trained with.
    boolean agentArchived = spec.trapExit() && ClassDataSharing.archivesJavaAgents();
    LaunchSpec archived = agentArchived ? spec.withJvmOptions(HermeticJvmOptions.exitTrap())
        : spec;
    ClassDataSharing.Layout layout = archived.cacheDirectory()
        .map(cache -> ClassDataSharing.layout(archived, cache))
        .orElse(new ClassDataSharing.Layout(archived.classPath(), archived.jvmOptions()));
    List<String> jvmArguments = new ArrayList<>(layout.jvmOptions());
    Optional<ClassListing> listing = layout.listing()
        .flatMap(target -> ClassListing.into(socket.directory(), target));
    listing.ifPresent(log -> jvmArguments.add(log.option()));
    jvmArguments.addAll(JnaOptions.forChild(spec.cacheDirectory(), layout.jvmOptions()));
    jvmArguments.addAll(HermeticJvmOptions.of(spec.readOnlyRoot(),
        spec.trapExit() && !agentArchived, socket.directory()));
    if (!JvmOption.setsFlag(spec.jvmOptions(), "ErrorFile")) {
      // Every child is pid 2 in its PID namespace, so the JVM's own crash report name,
      // hs_err_pid2.log, would be the same for all: each gets the name of its directory.
      jvmArguments.add("-XX:ErrorFile=" + crashReport);
    }
    jvmArguments.add("-cp");
    jvmArguments.add(String.join(File.pathSeparator, layout.classPath()));
    Path argFile = ArgFile.write(socket.directory().resolve("jvm.args"), jvmArguments);

    List<String> command = new ArrayList<>(ParentDeath.prefix());
    command.addAll(spec.namespaces().command().prefix(spec.propagation()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + argFile);
    command.add(mainClass);
    command.add(socket.address().toString());
    return new Line(command, listing);
  }
}
