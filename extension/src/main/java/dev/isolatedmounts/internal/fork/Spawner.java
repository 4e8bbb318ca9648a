package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts child processes from one long-lived thread. A parent-death signal is sent when the
 * <em>thread</em> that forked a process ends, not the process: a test thread (a pooled one under
 * parallel execution) may end long before the run does. The child JVM itself sits below
 * {@code unshare} and its namespace's init and learns of this JVM's death from its socket (see
 * {@code ChildMain}); forking from one thread keeps that rule from biting any process started
 * here that does ask for the signal.
 */
final class Spawner {

  private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "isolated-mounts-spawner");
    thread.setDaemon(true);
    return thread;
  });

  private Spawner() {}

  /** Starts the process; an interrupt meanwhile is kept, not obeyed: the fork happens anyway. */
  static Process start(ProcessBuilder builder) throws IOException {
    try {
      return Uninterruptibly.get(THREAD.submit(builder::start));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("could not start " + builder.command().get(0), e.getCause());
    }
  }
}
