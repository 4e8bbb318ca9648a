package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Children started ahead of their tests: while one test runs in its child, the next child is
 * already starting, loading the runner and connecting. A waiting child has made no mount and knows
 * no test, so isolation is unchanged: one child, one test, one fresh namespace. At most
 * {@code size} wait per way of starting, each for about {@link #WAIT_LIMIT} after it was started:
 * then it is ended, so a way of starting that no test uses any more does not keep a JVM alive
 * until the session ends, and a child does not run its test in a copy of the host's mount table
 * much older than that. Closing the pool ends those still waiting.
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

  /** Only notices that a child waited too long: ending it is the starter threads' work. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /**
   * How long a child started ahead waits for a test. The next test of a run comes as soon as the
   * one before it ends; after a test that runs longer, the next one's child starts when it comes.
   */
  static final Duration WAIT_LIMIT = Duration.ofSeconds(30);

  /**
   * A child started ahead, and the timer that ends it if no test takes it (null if none could be
   * set: then it waits until a test takes it or the pool closes).
   */
  private record Waiting(Future<ChildProcess> child, ScheduledFuture<?> timer) {
    void cancelTimer() {
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  /** How the pool starts a child: {@link ChildProcess#start}; tests make starting fail. */
  interface Starter {
    ChildProcess start(LaunchSpec spec) throws IOException;
  }

  /** How a test gives a child its test: {@link ChildProcess#begin} with its request. */
  public interface Begin {
    void begin(ChildProcess child) throws InterruptedException;
  }

  private final int size;
  private final Duration waitLimit;
  private final Starter starter;
  private final Map<LaunchSpec, Deque<Waiting>> waiting = new HashMap<>();
  /** Children taken off the queue by their timer and being ended: closing waits for them. */
  private final Set<Future<ChildProcess>> ending = new HashSet<>();
  private boolean closed;

  /** A pool keeping up to {@code size} children waiting per way of starting; 0 keeps none. */
  public ChildPool(int size) {
    this(size, WAIT_LIMIT);
  }

  ChildPool(int size, Duration waitLimit) {
    this(size, waitLimit, ChildProcess::start);
  }

  ChildPool(int size, Duration waitLimit, Starter starter) {
    this.size = size;
    this.waitLimit = waitLimit;
    this.starter = starter;
  }

  /**
   * A child started as {@code spec} says: one that is already waiting, or a new one. Either way,
   * others start for the next tests, up to the pool's size.
   */
  ChildProcess take(LaunchSpec spec) throws IOException {
    return take(spec, Integer.MAX_VALUE);
  }

  /**
   * A child started as {@code spec} says: one that is already waiting, or a new one (also when
   * the one started ahead failed to start or died waiting: neither is the test's doing); others
   * start for the next tests, up to the pool's size, but no more than {@code mayCome}, the tests
   * that may still come for them.
   */
  public ChildProcess take(LaunchSpec spec, int mayCome) throws IOException {
    Waiting ready;
    synchronized (this) {
      ready = waiting.computeIfAbsent(spec, key -> new ArrayDeque<>()).pollFirst();
    }
    if (ready != null) {
      ready.cancelTimer();
    }
    try {
      refill(spec, mayCome);
    } catch (RuntimeException | Error e) {
      if (ready != null) {
        end(ready.child()); // it is ours now, and no test will get it
      }
      throw e;
    }
    if (ready == null) {
      return starter.start(spec);
    }
    ChildProcess child;
    try {
      child = Uninterruptibly.get(ready.child());
    } catch (ExecutionException failedAhead) {
      return startedAgain(spec, failedAhead.getCause());
    }
    if (child.exited()) {
      child.close(); // it died waiting (killed, out of memory) before it knew of a test
      return starter.start(spec);
    }
    return child;
  }

  /**
   * Gives {@code child}, taken for a test started as {@code spec}, its test with {@code begin},
   * and returns the child that has it. A child started ahead whose JVM died while it waited, just
   * before its test came (its process not yet ended when it was taken), cannot be given it: that
   * is not the test's failure, so a new child is started and given it, as without a pool. If
   * that fails as well, the test fails with it, the earlier failure attached. A child that fails
   * here is closed.
   */
  public ChildProcess begun(LaunchSpec spec, ChildProcess child, Begin begin)
      throws IOException, InterruptedException {
    try {
      begin.begin(child);
      return child;
    } catch (ChildJvmException failed) {
      child.close();
      if (!child.diedBeforeItsTest()) {
        throw failed;
      }
      ChildProcess again = startedAgain(spec, failed);
      try {
        begin.begin(again);
        return again;
      } catch (InterruptedException | RuntimeException | Error e) {
        e.addSuppressed(failed);
        again.close();
        throw e;
      }
    } catch (InterruptedException | RuntimeException | Error e) {
      child.close();
      throw e;
    }
  }

  /**
   * A child for a test whose child started ahead could not be started: that need not be the
   * test's failure, so one is started for it, as without a pool. If that fails as well, the test
   * fails with it, the earlier failure attached.
   */
  private ChildProcess startedAgain(LaunchSpec spec, Throwable failedAhead) throws IOException {
    try {
      return starter.start(spec);
    } catch (IOException | RuntimeException | Error again) {
      again.addSuppressed(failedAhead);
      throw again;
    }
  }

  /**
   * Ends the children waiting for a test started as {@code spec} beyond {@code mayCome}, the tests
   * that may still come for them (the plan has since said that fewer will), the last started
   * first; returns once they have ended. A child that no test will take would otherwise wait out
   * its limit, and hold its memory, while the run goes on.
   */
  public void trim(LaunchSpec spec, int mayCome) {
    List<Waiting> surplus = new ArrayList<>();
    synchronized (this) {
      Deque<Waiting> queue = waiting.get(spec);
      while (queue != null && queue.size() > Math.max(0, mayCome)) {
        Waiting entry = queue.pollLast();
        ending.add(entry.child());
        surplus.add(entry);
      }
    }
    // Each one left in ending would hold close() for good.
    rethrow(endEach(surplus, this::endAndForget));
  }

  /** Starts children for the next tests until {@code min(size, mayCome)} wait. */
  private synchronized void refill(LaunchSpec spec, int mayCome) {
    Deque<Waiting> queue = waiting.get(spec);
    while (!closed && queue.size() < Math.min(size, mayCome)) {
      queue.addLast(startAhead(spec));
    }
  }

  private Waiting startAhead(LaunchSpec spec) {
    Future<ChildProcess> child = STARTER.submit(() -> {
      ChildProcess started = starter.start(spec);
      started.startedAhead();
      return started;
    });
    ScheduledFuture<?> timer;
    try {
      timer = TIMER.schedule(() -> endIfWaiting(spec, child), waitLimit.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException | Error noTimer) {
      timer = null; // queued all the same: it must have an owner
    }
    return new Waiting(child, timer);
  }

  /** Ends {@code child} if no test has taken it (nor has the pool been closed since). */
  private void endIfWaiting(LaunchSpec spec, Future<ChildProcess> child) {
    synchronized (this) {
      Deque<Waiting> queue = waiting.get(spec);
      if (queue == null || !queue.removeIf(entry -> entry.child() == child)) {
        return;
      }
      ending.add(child);
    }
    Runnable end = () -> endAndForget(child);
    try {
      STARTER.execute(end);
    } catch (RuntimeException | Error noThread) {
      end.run(); // late for other pools' timers, but ended
    }
  }

  /** Ends {@code child}, taken off its queue into {@link #ending}, and takes it out of there. */
  private void endAndForget(Future<ChildProcess> child) {
    try {
      end(child);
    } finally {
      synchronized (this) {
        ending.remove(child);
        notifyAll();
      }
    }
  }

  /** Ends the children still waiting for a test, and those being ended, before it returns. */
  @Override
  public void close() {
    List<Waiting> left = new ArrayList<>();
    synchronized (this) {
      closed = true;
      waiting.values().forEach(left::addAll);
      waiting.clear();
    }
    Throwable failure = endEach(left, ChildPool::end);
    awaitEnding();
    rethrow(failure);
  }

  /**
   * Ends each of {@code entries} with {@code end}, the others also when one fails; returns the
   * first failure, the later ones suppressed in it, or null.
   */
  private static Throwable endEach(List<Waiting> entries,
      Consumer<Future<ChildProcess>> end) {
    Throwable failure = null;
    for (Waiting entry : entries) {
      entry.cancelTimer();
      try {
        end.accept(entry.child());
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
  }

  private synchronized void awaitEnding() {
    boolean interrupted = false;
    while (!ending.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void end(Future<ChildProcess> child) {
    try {
      Uninterruptibly.get(child).close();
    } catch (ExecutionException | IllegalStateException notStarted) {
      // nothing was started, so nothing is left
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "isolated-mounts-pool-timer");
      thread.setDaemon(true);
      return thread;
    });
    // A taken child's timer is cancelled; kept in the queue, it would hold the pool for its time.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
