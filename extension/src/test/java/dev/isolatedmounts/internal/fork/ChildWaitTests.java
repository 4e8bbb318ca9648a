package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

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
}
