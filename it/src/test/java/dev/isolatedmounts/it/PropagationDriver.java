package dev.isolatedmounts.it;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_SHARED;

import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Plays the host for {@link PropagationTests}: started by the test inside an outer, private mount
 * namespace of its own (so nothing it mounts reaches the real host), it mounts a shared tmpfs on
 * {@link #SHARED_DIR}, runs the fixtures, and while each runs makes a "host" mount below it and
 * reports whether the fixture's own mount showed up here. Prints one line per fixture test:
 * {@code RESULT <method> <status> <message>}.
 */
public final class PropagationDriver {

  static final String SHARED_DIR = "/tmp/isolated-mounts-it-propagation";
  static final List<String> SCENARIOS = List.of("private", "slave", "shared", "unbindable");
  private static final long WAIT_MILLIS = 60_000;

  private PropagationDriver() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(SHARED_DIR);
    Syscalls.mount("isolated-mounts-it", SHARED_DIR, "tmpfs", 0, "mode=0777");
    Syscalls.mount(null, SHARED_DIR, null, MS_SHARED, null);
    for (String name : SCENARIOS) {
      Files.createDirectory(dir.resolve(name + "-host"));
      Files.createDirectory(dir.resolve(name + "-child"));
    }
    Thread host = new Thread(() -> playHost(dir), "host");
    host.setDaemon(true);
    host.start();

    EngineExecutionResults results = Fixtures.run(PropagationTests.InPracticeTestCase.class);

    results.testEvents().finished().stream().forEach(event -> {
      TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
      String method = event.getTestDescriptor().getLegacyReportingName();
      System.out.println("RESULT " + method + " " + result.getStatus() + " "
          + result.getThrowable().map(t -> String.valueOf(t).replace('\n', ' ')).orElse(""));
    });
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  /** For each scenario: mount on ready, then look for the child's mount and answer. */
  private static void playHost(Path dir) {
    List<String> pending = new ArrayList<>(SCENARIOS);
    long deadline = System.currentTimeMillis() + SCENARIOS.size() * WAIT_MILLIS;
    try {
      while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
        for (String name : List.copyOf(pending)) {
          if (Files.exists(dir.resolve(name + ".ready"))
              && !Files.exists(dir.resolve(name + ".mounted"))) {
            Path hostMount = dir.resolve(name + "-host");
            Syscalls.mount("isolated-mounts-it", hostMount.toString(), "tmpfs", 0, null);
            Files.writeString(hostMount.resolve("marker"), "made by the host");
            Files.writeString(dir.resolve(name + ".mounted"), "");
          }
          if (Files.exists(dir.resolve(name + ".childMounted"))) {
            boolean seen = mountinfo().contains(" " + dir.resolve(name + "-child") + " ")
                || Files.exists(dir.resolve(name + "-child").resolve("marker"));
            Files.writeString(dir.resolve(name + ".answer"), seen ? "seen" : "not seen");
            pending.remove(name);
          }
        }
        Thread.sleep(10);
      }
    } catch (IOException | InterruptedException e) {
      e.printStackTrace();
    }
  }

  static String mountinfo() throws IOException {
    return Files.readString(Path.of("/proc/self/mountinfo"));
  }
}
