package dev.isolatedmounts.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Finds processes on the host by their command line, to prove that none was left behind. */
final class Processes {

  private Processes() {}

  /** A {@code sleep} duration no other process on the host is likely to use: its marker. */
  static String uniqueSleep() {
    return String.valueOf(100_000 + ThreadLocalRandom.current().nextInt(800_000));
  }

  /** The pids of the processes running {@code sleep <seconds>}, zombies left out. */
  static List<Long> sleeping(String seconds) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> commandLine(p).equals("sleep\0" + seconds + "\0") && !zombie(p))
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
  }

  /**
   * Whether {@code process} still runs: a zombie has ended, it only waits for its new parent (the
   * host's init, after the parent JVM died) to collect its status.
   */
  static boolean running(ProcessHandle process) {
    return process.isAlive() && !zombie(Path.of("/proc", String.valueOf(process.pid())));
  }

  /**
   * Waits until no child of this JVM trains the archive of the children's classes: the first
   * isolated test starts one in the background, and it is not a child left behind, so checks
   * for those wait for it (a JDK 25 one takes seconds to write its cache). Its own end, at the
   * latest when this JVM ends, is checked by test-all.sh. Also waits for this JVM's threads that
   * hand on a child's class list or train an archive (again): one that is about to start a
   * training child, after a child that logged its classes, has none yet.
   */
  static void awaitTraining() {
    long deadline = System.nanoTime() + 150_000_000_000L;
    while (ProcessHandle.current().descendants().anyMatch(p -> running(p)
        && p.info().commandLine().orElse("").contains("internal.child.TrainingMain"))
        || Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.isAlive()
        && (thread.getName().equals("isolated-mounts-classes")
        || thread.getName().equals("isolated-mounts-cds")))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the archive's training child still runs after 150 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static String commandLine(Path process) {
    try {
      String line = new String(Files.readAllBytes(process.resolve("cmdline")),
          StandardCharsets.UTF_8);
      int end = line.indexOf('\0') < 0 ? line.length() : line.indexOf('\0');
      int slash = line.lastIndexOf('/', end);
      return slash < 0 ? line : line.substring(slash + 1);
    } catch (IOException e) {
      return ""; // it ended while we looked
    }
  }

  private static boolean zombie(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /** Starts {@code sleep <seconds>} in the background through a shell that exits at once. */
  static void orphanSleep(String seconds) throws IOException, InterruptedException {
    int before = sleeping(seconds).size();
    Process shell = new ProcessBuilder("sh", "-c", "sleep " + seconds + " > /dev/null 2>&1 &")
        .start();
    shell.waitFor();
    // The shell may be gone before its child has become "sleep": wait until it has.
    while (sleeping(seconds).size() == before) {
      Thread.sleep(5);
    }
  }

  /** Starts {@code sleep <seconds>} as a child of this process, and waits until it runs. */
  static Process childSleep(String seconds) throws IOException, InterruptedException {
    int before = sleeping(seconds).size();
    Process sleep = new ProcessBuilder("sleep", seconds).start();
    while (sleeping(seconds).size() == before) {
      Thread.sleep(5);
    }
    return sleep;
  }
}
