package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a child's stdout and stderr on threads of their own, hands every chunk on as an event,
 * and keeps their last lines for the message should the child die.
 */
final class ChildOutput {

  private final OutputTail stderrTail = new OutputTail("stderr");
  private final OutputTail stdoutTail = new OutputTail("stdout");
  /** Counted down as each of the two streams ends. */
  private final CountDownLatch ended = new CountDownLatch(2);
  /** Until the child connects, its stdout is the JVM's own, where it says why it cannot start. */
  private final BooleanSupplier connected;

  ChildOutput(BooleanSupplier connected) {
    this.connected = connected;
  }

  /** Starts reading both streams of {@code process}; chunks and ends go to {@code events}. */
  void pump(Process process, Consumer<ChildEvent> events) {
    pump(process, process.getInputStream(), false, events);
    pump(process, process.getErrorStream(), true, events);
  }

  private void pump(Process process, InputStream stream, boolean stderr,
      Consumer<ChildEvent> events) {
    Daemon.start("isolated-mounts-" + (stderr ? "stderr-" : "stdout-") + process.pid(), () -> {
      byte[] buffer = new byte[8192];
      try (stream) {
        for (int n; (n = stream.read(buffer)) > 0; ) {
          byte[] bytes = Arrays.copyOf(buffer, n);
          if (stderr) {
            stderrTail.accept(bytes);
          } else if (!connected.getAsBoolean()) {
            stdoutTail.accept(bytes);
          }
          events.accept(new ChildEvent.Output(stderr, bytes));
        }
      } catch (IOException closed) {
        // the child is gone and ChildProcess.close() closed the pipe: no more to read
      }
      events.accept(new ChildEvent.StreamEnded());
      ended.countDown();
    });
  }

  /** Waits up to {@code nanos} for both streams to end: what it wrote on its way out. */
  void awaitEnd(long nanos) throws InterruptedException {
    ended.await(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The last lines of its stderr, and, if it never connected, of its stdout first: there the JVM
   * writes why it could not start ("Error occurred during initialization of VM").
   */
  String lastLines() {
    if (connected.getAsBoolean() || stdoutTail.isEmpty()) {
      return stderrTail.render();
    }
    return stdoutTail.render() + (stderrTail.isEmpty() ? "" : "; " + stderrTail.render());
  }
}
