package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Children started ahead of their tests: while one test runs in its child, the next child is
 * already starting, loading the runner and connecting. A waiting child has made no mount and knows
 * no test, so isolation is unchanged: one child, one test, one fresh namespace. At most
 * {@code size} wait per way of starting, each for at most {@link #WAIT_LIMIT} after it was started:
 * then it is ended, so a way of starting that no test uses any more does not keep a JVM alive
 * until the session ends, and no child runs a test in a copy of the host's mount table older than
 * that. Closing the pool ends those still waiting.
 *
 * <p>A test waits for its child with {@link Future#get}, never {@code CompletableFuture.join}:
 * under JUnit's parallel execution the test runs on a {@code ForkJoinPool} worker, and a join
 * there lets the pool start a spare worker, which takes the next test, whose wait starts another.
 * Runs with a parallelism of two had up to twenty children at once that way.
 */
public final class ChildPool implements AutoCloseable {

  private static final ExecutorService STARTER = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "isolated-mounts-prewarm");
    thread.setDaemon(true);
    return thread;
  });

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "isolated-mounts-pool-timer");
        thread.setDaemon(true);
        return thread;
      });

  /**
   * How long a child started ahead waits for a test. The next test of a run comes as soon as the
   * one before it ends; a test that runs longer than this gains little (about 1%) from a child
   * started ahead.
   */
  static final Duration WAIT_LIMIT = Duration.ofSeconds(30);

  private final int size;
  private final Duration waitLimit;
  private final Map<LaunchSpec, Deque<Future<ChildProcess>>> waiting = new HashMap<>();
  private boolean closed;

  /** A pool keeping up to {@code size} children waiting per way of starting; 0 keeps none. */
  public ChildPool(int size) {
    this(size, WAIT_LIMIT);
  }

  ChildPool(int size, Duration waitLimit) {
    this.size = size;
    this.waitLimit = waitLimit;
  }

  /**
   * A child started as {@code spec} says: one that is already waiting, or a new one. Either way,
   * another starts for the next test.
   */
  public ChildProcess take(LaunchSpec spec) throws IOException {
    Future<ChildProcess> ready;
    synchronized (this) {
      ready = waiting.computeIfAbsent(spec, key -> new ArrayDeque<>()).pollFirst();
    }
    refill(spec);
    if (ready == null) {
      return ChildProcess.start(spec);
    }
    try {
      return started(ready);
    } catch (ExecutionException e) {
      // What starting it threw, as if it had been started here.
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IOException(e.getCause());
    }
  }

  private synchronized void refill(LaunchSpec spec) {
    Deque<Future<ChildProcess>> queue = waiting.get(spec);
    if (closed || queue.size() >= size) {
      return;
    }
    Future<ChildProcess> child = STARTER.submit(() -> ChildProcess.start(spec));
    queue.addLast(child);
    TIMER.schedule(() -> endIfWaiting(spec, child), waitLimit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Ends {@code child} if no test has taken it (nor has the pool been closed since). */
  private void endIfWaiting(LaunchSpec spec, Future<ChildProcess> child) {
    synchronized (this) {
      Deque<Future<ChildProcess>> queue = waiting.get(spec);
      if (queue == null || !queue.remove(child)) {
        return;
      }
    }
    end(child);
  }

  /** Kills the children still waiting for a test. */
  @Override
  public void close() {
    List<Future<ChildProcess>> left = new ArrayList<>();
    synchronized (this) {
      closed = true;
      waiting.values().forEach(left::addAll);
      waiting.clear();
    }
    left.forEach(ChildPool::end);
  }

  private static void end(Future<ChildProcess> child) {
    try {
      started(child).close();
    } catch (ExecutionException | IllegalStateException notStarted) {
      // nothing was started, so nothing is left
    }
  }

  /**
   * Waits for a child being started however long its start takes (it has its own time limits):
   * one not waited for would be left running, with nobody to close it. An interrupt is kept for
   * the caller.
   */
  private static ChildProcess started(Future<ChildProcess> child) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return child.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
