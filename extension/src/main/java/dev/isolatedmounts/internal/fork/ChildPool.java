package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Children started ahead of their tests: while one test runs in its child, the next child is
 * already starting, loading the runner and connecting. A waiting child has made no mount and knows
 * no test, so isolation is unchanged: one child, one test, one fresh namespace. At most
 * {@code size} wait per way of starting; closing the pool kills those still waiting.
 */
public final class ChildPool implements AutoCloseable {

  private static final ExecutorService STARTER = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "isolated-mounts-prewarm");
    thread.setDaemon(true);
    return thread;
  });

  private final int size;
  private final Map<LaunchSpec, Deque<CompletableFuture<ChildProcess>>> waiting = new HashMap<>();
  private boolean closed;

  /** A pool keeping up to {@code size} children waiting per way of starting; 0 keeps none. */
  public ChildPool(int size) {
    this.size = size;
  }

  /**
   * A child started as {@code spec} says: one that is already waiting, or a new one. Either way,
   * another starts for the next test.
   */
  public ChildProcess take(LaunchSpec spec) throws IOException {
    CompletableFuture<ChildProcess> ready;
    synchronized (this) {
      ready = waiting.computeIfAbsent(spec, key -> new ArrayDeque<>()).pollFirst();
    }
    refill(spec);
    if (ready == null) {
      return ChildProcess.start(spec);
    }
    try {
      return ready.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private synchronized void refill(LaunchSpec spec) {
    Deque<CompletableFuture<ChildProcess>> queue = waiting.get(spec);
    if (closed || queue.size() >= size) {
      return;
    }
    queue.addLast(CompletableFuture.supplyAsync(() -> {
      try {
        return ChildProcess.start(spec);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, STARTER));
  }

  /** Kills the children still waiting for a test. */
  @Override
  public void close() {
    List<CompletableFuture<ChildProcess>> left = new ArrayList<>();
    synchronized (this) {
      closed = true;
      waiting.values().forEach(left::addAll);
      waiting.clear();
    }
    for (CompletableFuture<ChildProcess> child : left) {
      try {
        child.join().close();
      } catch (CompletionException | IllegalStateException notStarted) {
        // nothing was started, so nothing is left
      }
    }
  }
}
