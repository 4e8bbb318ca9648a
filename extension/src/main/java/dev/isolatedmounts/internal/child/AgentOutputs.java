package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;

import dev.isolatedmounts.internal.fork.JvmOption;
import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files that Java agents of the child write when the JVM exits, which a read-only root must not
 * refuse: JaCoCo's {@code destfile}, where every child appends its coverage. Each is bind-mounted
 * onto itself (or its directory, before the file exists), which makes it a mount of its own that
 * the read-only pass leaves writable, and nothing else beside it.
 */
final class AgentOutputs {

  private AgentOutputs() {}

  /** The files the JVM's agents write, resolved against the working directory. */
  static List<Path> of(List<String> jvmArguments, Path workingDirectory) {
    List<Path> outputs = new ArrayList<>();
    for (String argument : jvmArguments) {
      Optional<JvmOption.JavaAgent> agent = JvmOption.javaAgent(argument);
      if (agent.isEmpty() || !agent.get().isJacoco()) {
        continue;
      }
      String destfile = "jacoco.exec";
      boolean toFile = true;
      for (String option : agent.get().argumentList()) {
        if (option.startsWith("destfile=")) {
          destfile = option.substring("destfile=".length());
        } else if (option.startsWith("output=")) {
          toFile = option.equals("output=file");
        }
      }
      if (toFile) {
        outputs.add(workingDirectory.resolve(destfile).normalize());
      }
    }
    return outputs;
  }

  /** Makes each output a writable mount of its own; returns the mount points. */
  static List<Path> keepWritable(List<Path> outputs) throws IOException {
    List<Path> mounts = new ArrayList<>();
    for (Path output : outputs) {
      Path point = Files.exists(output) ? output : output.getParent();
      if (point != null && Files.exists(point)) {
        Syscalls.mount(point.toString(), point.toString(), null, MS_BIND, null);
        mounts.add(point);
      }
    }
    return mounts;
  }
}
