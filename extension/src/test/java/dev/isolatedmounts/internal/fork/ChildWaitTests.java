package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.fork.ChildWait.Ended;
import dev.isolatedmounts.internal.wire.Frame;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChildWait")
class ChildWaitTests {

  private static final int MIB = 1 << 20;

  @Test
  @DisplayName("holds a child's output back past its bound while nothing replays it, and drops"
      + " it once nothing will")
  void boundedOutput() throws InterruptedException {
    ChildWait wait = new ChildWait(null);
    int chunks = 64;
    Thread reader = new Thread(() -> {
      for (int i = 0; i < chunks; i++) {
        wait.add(new ChildEvent.Output(false, new byte[MIB]));
      }
    }, "flooding-reader");
    reader.setDaemon(true);
    reader.start();

    // Until the reader has either added everything or is held back: no time limit is asserted.
    while (reader.isAlive() && reader.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    assertThat(reader.isAlive()).as("held back").isTrue();
    assertThat(wait.queuedOutput()).isEqualTo(ChildWait.MAX_QUEUED_OUTPUT);

    wait.outputUnread();
    reader.join(TimeUnit.MINUTES.toMillis(1));
    assertThat(reader.isAlive()).as("let go").isFalse();
    assertThat(wait.queuedOutput()).as("the rest dropped").isEqualTo(ChildWait.MAX_QUEUED_OUTPUT);
  }

  @Test
  @DisplayName("kills, within seconds of its result, a training child that failed and lingers")
  void failedTrainingNotAwaited() throws Exception {
    Process child = new ProcessBuilder("sleep", "600").start();
    try {
      Ended ended = unattendedWith(child, new Result(Outcome.FAILED, new OutOfMemoryError()));

      assertThat(ended.lingered()).isTrue();
      assertThat(ended.result().outcome()).isEqualTo(Outcome.FAILED);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  @DisplayName("gives a training child that passed its grace to write the archive at exit")
  void passedTrainingAwaited() throws Exception {
    Process child = new ProcessBuilder("sleep", "600").start();
    try {
      ChildWait wait = unattended(child, new Result(Outcome.SUCCESSFUL, null));
      Thread waiting = new Thread(wait::untilEnded, "waiting");
      waiting.setDaemon(true);
      waiting.start();

      assertThat(child.waitFor(4, TimeUnit.SECONDS)).as("killed").isFalse();
      child.destroyForcibly().waitFor();
      wait.add(new ChildEvent.Exited());
      waiting.join(TimeUnit.MINUTES.toMillis(1));
      assertThat(waiting.isAlive()).isFalse();
    } finally {
      child.destroyForcibly();
    }
  }

  /** The wait of an unattended child that sent {@code result} and hung up, but lingers. */
  private static ChildWait unattended(Process child, Result result) {
    ChildWait wait = new ChildWait(new ProcessTree(child));
    wait.unattended(Duration.ofMinutes(10));
    wait.begin(ChildWaitTests.class.getClassLoader(), System.nanoTime()
        + TimeUnit.MINUTES.toNanos(10), false, false, entries -> { }, file -> { });
    wait.add(new ChildEvent.StreamEnded());
    wait.add(new ChildEvent.StreamEnded());
    wait.add(new ChildEvent.Received(new Frame(FrameType.RESULT, result.encode())));
    wait.add(new ChildEvent.SocketEnded(null));
    return wait;
  }

  private static Ended unattendedWith(Process child, Result result) throws Exception {
    ChildWait wait = unattended(child, result);
    java.util.concurrent.CompletableFuture<Ended> ended = new java.util.concurrent
        .CompletableFuture<>();
    Daemon.start("waiting", () -> ended.complete(wait.untilEnded()));
    // The wait kills it; its end is then told as the exit watcher tells it.
    assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("killed").isTrue();
    wait.add(new ChildEvent.Exited());
    return ended.get(1, TimeUnit.MINUTES);
  }
}
