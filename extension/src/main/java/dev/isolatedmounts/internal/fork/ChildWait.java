package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.FileEntryMessage;
import dev.isolatedmounts.internal.wire.Frame;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.ProtocolException;
import dev.isolatedmounts.internal.wire.ReportEntryMessage;
import dev.isolatedmounts.internal.wire.Result;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The wait for one child, a single state for all its parts: handles the child's events in
 * order on the waiting thread (its output and report entries are replayed there, so they are
 * attributed to the running test), and enforces the hard limit and the grace after an interrupt.
 * Its parts run one at a time, on any thread; each keeps for its caller an interrupt that came
 * during it.
 */
final class ChildWait {

  /** How long output may keep flowing after the child exited (a grandchild may hold the pipe). */
  static final long OUTPUT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * How long a child may take to report after the waiting thread was interrupted. JUnit's
   * {@code @Timeout} runs here as well as in the child, here from when the child said its test
   * method started: the child's own {@code TimeoutException}, which shows where the test was,
   * comes within that. A test that ignores interrupts never reports.
   */
  static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

  /**
   * The most output bytes queued and not yet replayed: past it, the threads reading the child's
   * pipes wait, and so the child waits on its writes. A child printing faster than this JVM's
   * own output takes it (Surefire's, say) must not fill this JVM's heap.
   */
  static final long MAX_QUEUED_OUTPUT = 8L << 20;

  private final BlockingQueue<ChildEvent> events = new LinkedBlockingQueue<>();
  private final Object outputRoom = new Object();
  /** Guarded by {@link #outputRoom}. */
  private long queuedOutput;
  /** Set once nothing will replay output any more: from then on it is dropped, not queued. */
  private volatile boolean outputUnread;
  private final ProcessTree tree;
  /** How long the child may take to exit after its connection ended, before it is killed. */
  private long exitGraceNanos = OUTPUT_GRACE_NANOS;
  /** Set for a child whose exit is worth its grace only after success (see unattended). */
  private boolean graceOnlyAfterSuccess;
  /** Whether its output goes nowhere: nobody reads a training's. */
  private boolean discardOutput;

  // Set when the child is given its test.
  private ClassLoader testClassLoader;
  /** When the hard limit of the test is reached. */
  private long deadline;
  private Consumer<Map<String, String>> reportEntries;
  private Consumer<FileEntryMessage> files;

  private Result result;
  private ProtocolException protocolError;
  private boolean methodStarted;
  private boolean methodEnded;
  /** Whether the part being waited was interrupted: that caller gets the interrupt back. */
  private boolean interruptedNow;
  private boolean socketOpen = true;
  private int streamsOpen = 2;
  private long exitedAt;
  private long socketEndedAt;
  private long interruptedAt;
  /** A child being debugged is not killed for an interrupt: it may be stopped at a breakpoint. */
  private boolean debugging;
  private boolean timedOut;
  private boolean lingered;
  private boolean unanswered;
  private boolean outputAbandoned;
  /** Set when a thread dump was asked for: the kill comes at {@link #killAt}. */
  private boolean killPending;
  private long killAt;
  /** Whether the child keeps its mounts as it exits; set once it was asked to exit. */
  private boolean keepsAtExit;
  private boolean terminated;
  /** How long a child asked to exit has to copy its mounts out before it is killed. */
  static final long KEEP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How long a child has to write its thread dump before it is killed. */
  private static final long DUMP_NANOS = TimeUnit.SECONDS.toNanos(1);

  ChildWait(ProcessTree tree) {
    this.tree = tree;
  }

  /**
   * Where the child's threads send what they see; any thread may. Output waits while
   * {@link #MAX_QUEUED_OUTPUT} bytes are queued, until the wait replays some or ends.
   */
  void add(ChildEvent event) {
    if (event instanceof ChildEvent.Output output) {
      if (!awaitRoom(output.bytes().length)) {
        return;
      }
    }
    events.add(event);
  }

  /** Whether there is room for {@code bytes} more, now taken; false once output goes unread. */
  private boolean awaitRoom(int bytes) {
    synchronized (outputRoom) {
      while (!outputUnread && queuedOutput > 0 && queuedOutput + bytes > MAX_QUEUED_OUTPUT) {
        try {
          outputRoom.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      if (outputUnread) {
        return false;
      }
      queuedOutput += bytes;
      return true;
    }
  }

  /** The output bytes queued and not yet replayed. */
  long queuedOutput() {
    synchronized (outputRoom) {
      return queuedOutput;
    }
  }

  private void replayed(int bytes) {
    synchronized (outputRoom) {
      queuedOutput -= bytes;
      outputRoom.notifyAll();
    }
  }

  /**
   * Nothing will replay the child's output any more (its wait has ended, it never connected, it
   * is being closed): its readers stop waiting for room, and what they read is dropped, but for
   * the last lines that {@link ChildOutput} keeps for messages.
   */
  void outputUnread() {
    synchronized (outputRoom) {
      outputUnread = true;
      outputRoom.notifyAll();
    }
  }

  /**
   * For a child whose output nobody reads and that may take {@code exitGrace} to exit after a
   * successful result (only then is what it writes at exit wanted).
   */
  void unattended(Duration exitGrace) {
    discardOutput = true;
    exitGraceNanos = exitGrace.toNanos();
    graceOnlyAfterSuccess = true;
  }

  /**
   * The child has its test: from now on the wait reads its frames and keeps its limit. One that
   * {@code keepsAtExit} (keepOnFailure) is asked to exit, with SIGTERM, before it is killed.
   */
  void begin(ClassLoader testClassLoader, long deadline, boolean debugging, boolean keepsAtExit,
      Consumer<Map<String, String>> reportEntries, Consumer<FileEntryMessage> files) {
    this.testClassLoader = testClassLoader;
    this.deadline = deadline;
    this.debugging = debugging;
    this.keepsAtExit = keepsAtExit;
    this.reportEntries = reportEntries;
    this.files = files;
  }

  synchronized void untilMethodStarted() {
    waitUntil(() -> methodStarted);
  }

  synchronized void untilMethodEnded() {
    waitUntil(() -> methodEnded);
  }

  /**
   * How the wait ended: the child's result (null if it sent none), the first way it broke the
   * protocol (or null), and whether it was killed on the hard limit, for not answering an
   * interrupt within {@link #INTERRUPT_GRACE}, or for not exiting within {@code exitGrace} after
   * its connection ended; and whether, ended so, it was first asked to exit to keep its mounts.
   */
  record Ended(Result result, ProtocolException protocolError, boolean timedOut,
      boolean unanswered, boolean lingered, Duration exitGrace, boolean askedToExit) {}

  /** Until the child has exited and its output, socket and pipes are done with. */
  synchronized Ended untilEnded() {
    try {
      waitUntil(() -> false);
    } finally {
      outputUnread();
    }
    return new Ended(result, protocolError, timedOut, unanswered, lingered,
        Duration.ofNanos(exitGraceNanos), terminated);
  }

  /** Steps until {@code reached} holds or the wait has ended; keeps an interrupt meanwhile. */
  private void waitUntil(BooleanSupplier reached) {
    interruptedNow = false;
    try {
      while (!reached.getAsBoolean() && !ended()) {
        step();
      }
    } finally {
      if (interruptedNow) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean ended() {
    return outputAbandoned || !(socketOpen || streamsOpen > 0 || exitedAt == 0);
  }

  /** One turn of the wait: enforces the limits, then handles at most one event. */
  private void step() {
    // A child already being ended for ignoring an interrupt keeps that end, and its grace.
    if (!timedOut && !unanswered && System.nanoTime() - deadline >= 0) {
      timedOut = true;
      dumpThenKill(); // then keep replaying what it wrote, the dump too, until its pipes end
    }
    if (interruptedAt != 0 && !debugging && !unanswered && !timedOut && result == null
        && exitedAt == 0 && System.nanoTime() - interruptedAt >= INTERRUPT_GRACE.toNanos()) {
      unanswered = true;
      dumpThenKill();
    }
    if (killPending && System.nanoTime() - killAt >= 0) {
      if (keepsAtExit && !terminated && tree.terminateJvm()) {
        // Its shutdown hook copies its mounts out; then it exits, or is killed after all.
        terminated = true;
        killAt = System.nanoTime() + KEEP_GRACE_NANOS;
      } else {
        killPending = false;
        tree.kill();
      }
    }
    // Checked on every turn, not only on a quiet one: a child that keeps printing while its
    // exit hangs must not wait out the hard limit.
    if (exitedAt == 0 && !socketOpen && !lingered
        && System.nanoTime() - socketEndedAt > exitGraceNanos) {
      // It can report nothing more: after a result it should have exited, without one it
      // broke the protocol or closed the connection; either way it must not hang the suite.
      lingered = true;
      tree.kill();
    }
    ChildEvent event;
    try {
      event = events.poll(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted();
      return;
    }
    if (event == null) {
      if (exitedAt != 0 && System.nanoTime() - exitedAt > OUTPUT_GRACE_NANOS) {
        outputAbandoned = true; // something the child started still holds its pipes or socket
      }
      return;
    }
    if (event instanceof ChildEvent.Output output) {
      if (!discardOutput) {
        (output.stderr() ? System.err : System.out).write(output.bytes(), 0,
            output.bytes().length);
      }
      replayed(output.bytes().length);
    } else if (event instanceof ChildEvent.Exited) {
      exitedAt = exitedAt == 0 ? System.nanoTime() : exitedAt;
    } else if (event instanceof ChildEvent.StreamEnded) {
      streamsOpen--;
      flush();
    } else if (event instanceof ChildEvent.Received received) {
      handle(received.frame());
    } else if (event instanceof ChildEvent.SocketEnded socketEnded) {
      socketOpen = false;
      socketEndedAt = System.nanoTime();
      if (socketEnded.error() instanceof ProtocolException bad && protocolError == null) {
        protocolError = bad;
      }
    }
  }

  /**
   * Asks for a thread dump and kills the child a second later, its output replayed meanwhile: a
   * child that filled the output queue would otherwise block on writing its dump. An interrupt
   * that cuts the request short is kept for the caller, as any other during the wait: the wait
   * goes on, so the failure still says why the child was killed.
   */
  private void dumpThenKill() {
    boolean asked = false;
    try {
      asked = tree.requestThreadDump();
    } catch (InterruptedException e) {
      interrupted();
    }
    killAt = System.nanoTime() + (asked ? DUMP_NANOS : 0);
    killPending = true;
  }

  private void interrupted() {
    interruptedAt = interruptedAt == 0 ? System.nanoTime() : interruptedAt;
    interruptedNow = true;
  }

  private void handle(Frame frame) {
    try {
      if (frame.type() == FrameType.REPORT_ENTRY) {
        reportEntries.accept(ReportEntryMessage.decode(frame.payload()).entries());
      } else if (frame.type() == FrameType.FILE_ENTRY) {
        files.accept(FileEntryMessage.decode(frame.payload()));
      } else if (frame.type() == FrameType.METHOD_STARTED) {
        methodStarted = true;
      } else if (frame.type() == FrameType.METHOD_ENDED) {
        methodEnded = true;
        // It answered an interrupt, if one came: its @AfterEach methods get no grace limit.
        interruptedAt = 0;
      } else if (frame.type() == FrameType.RESULT && result == null) {
        result = Result.decode(frame.payload(), testClassLoader);
        if (graceOnlyAfterSuccess && result.outcome() != Outcome.SUCCESSFUL) {
          // A training that failed writes no archive worth waiting for; and one whose metaspace
          // ran out spins writing it until killed.
          exitGraceNanos = Math.min(exitGraceNanos, OUTPUT_GRACE_NANOS);
        }
      } else {
        throw new ProtocolException("unexpected " + frame.type() + " frame");
      }
    } catch (ProtocolException e) {
      protocolError = protocolError == null ? e : protocolError;
    }
  }

  static void flush() {
    System.out.flush();
    System.err.flush();
  }
}
