package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.Assignment;
import dev.isolatedmounts.internal.wire.FileEntryMessage;
import dev.isolatedmounts.internal.wire.FrameReader;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.FrameWriter;
import dev.isolatedmounts.internal.wire.Hello;
import dev.isolatedmounts.internal.wire.ProtocolException;
import dev.isolatedmounts.internal.wire.Result;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One child JVM: started inside new namespaces, authenticated over its private socket, given its
 * test, and supervised until it has reported and exited. Closing it kills what is left and
 * deletes its directory.
 */
public final class ChildProcess implements AutoCloseable {

  static final String MAIN_CLASS = "dev.isolatedmounts.internal.child.ChildMain";

  /** Set by {@link #begin}; read by {@link #close}, which a shutdown hook may call. */
  private volatile ChildRequest request;
  private volatile HiddenDirectoryCopies hiddenDirectoryCopies;
  private final ChildSocket socket;
  private final Process process;
  private final ProcessTree tree;
  private final ChildWait wait;
  private final Path crashReport;
  private final ChildOutput output;
  /** What the child was started with: JNA's library path it tells is learned (JnaOptions). */
  private final LaunchSpec spec;
  /** Where the classes the child loaded are told, if it logs them. */
  private final Optional<ClassListing> listing;
  /** Read by the stdout pump too: until it is set, the child's stdout is the JVM's own. */
  private volatile SocketChannel connection;
  /** Whether a pool started it before its test came (see {@link #diedBeforeItsTest}). */
  private volatile boolean startedAhead;
  /** Whether it was given its test: from then on, what it does is the test's. */
  private volatile boolean assigned;

  private ChildProcess(LaunchSpec spec, ChildSocket socket, Process process, Path crashReport,
      Optional<ClassListing> listing) {
    this.spec = spec;
    this.listing = listing;
    this.socket = socket;
    this.process = process;
    this.tree = new ProcessTree(process);
    this.wait = new ChildWait(tree);
    this.crashReport = crashReport;
    this.output = new ChildOutput(() -> connection != null);
  }

  /**
   * Starts a child JVM inside the namespaces {@code unshare} makes. It connects and then waits,
   * with nothing mounted, until {@link #await} gives it its test.
   */
  public static ChildProcess start(LaunchSpec spec) throws IOException {
    return start(spec, MAIN_CLASS);
  }

  /** With another main class: tests play misbehaving children with it. */
  static ChildProcess start(LaunchSpec spec, String mainClass) throws IOException {
    ChildSocket socket = ChildSocket.open();
    Optional<ClassListing> listing = Optional.empty();
    try {
      Path crashReport = ChildCommand.crashReport(socket);
      ChildCommand.Line line = ChildCommand.of(spec, socket, mainClass, crashReport);
      listing = line.listing();
      listing.ifPresent(ClassListing::startReading); // the child's JVM waits for its reader
      ProcessBuilder builder = OptionsVariables.removedFrom(new ProcessBuilder(line.command())
          .directory(Path.of(System.getProperty("user.dir")).toFile()));
      Process process = Spawner.start(builder);
      ChildProcess child = new ChildProcess(spec, socket, process, crashReport, listing);
      if (!mainClass.equals(TrainingChild.MAIN_CLASS)) {
        OpenChildren.add(child);
      }
      try {
        sendToken(process, socket.token());
        child.output.pump(process, child.wait::add);
        child.tree.watchExit(child.wait::add);
        return child;
      } catch (Throwable t) {
        try {
          child.close(); // it runs already: killed, or nobody would
        } catch (RuntimeException | Error e) {
          t.addSuppressed(e);
        }
        throw t;
      }
    } catch (IOException | RuntimeException e) {
      listing.ifPresent(log -> log.childEnded(false));
      socket.close();
      throw e;
    }
  }

  /**
   * Waits, on the calling (test) thread, until the child has reported and exited, replaying its
   * output to this JVM's current {@code System.out} and {@code System.err} and its report entries
   * to {@code reportEntries} as they arrive, so they are attributed to the running test.
   *
   * <p>An interrupt (JUnit's timeout on the test method) does not end the wait at once: the child
   * has {@link ChildWait#INTERRUPT_GRACE} to report its own result. After that its threads are
   * dumped into the test's output and it is killed. The interrupt is kept for the caller.
   *
   * @return the child's result
   * @throws ChildJvmException when the child ended or misbehaved without a result
   */
  public Result await(ChildRequest request, Consumer<Map<String, String>> reportEntries)
      throws InterruptedException {
    return await(request, reportEntries, file -> { });
  }

  /**
   * Like {@link #await(ChildRequest, Consumer)}, handing each file or directory the test published
   * to {@code files} as it arrives.
   */
  public Result await(ChildRequest request, Consumer<Map<String, String>> reportEntries,
      Consumer<FileEntryMessage> files) throws InterruptedException {
    begin(request, reportEntries, files);
    return awaitResult();
  }

  /**
   * Gives the child its test; then {@link #awaitMethodStart}, {@link #awaitMethodEnd} and
   * {@link #awaitResult} wait, as {@link #await} does, in parts. Each part may be waited on any
   * thread, one at a time, and keeps for its caller an interrupt that came during it.
   *
   * @throws ChildJvmException when the child does not connect
   */
  public void begin(ChildRequest request, Consumer<Map<String, String>> reportEntries,
      Consumer<FileEntryMessage> files) throws InterruptedException {
    this.request = request;
    this.hiddenDirectoryCopies = HiddenDirectoryCopies.before(request.plan(), socket.directory());
    // The limit counts from the test's start: a child started ahead may have waited a while.
    long deadline = System.nanoTime() + request.timeout().toNanos();
    wait.begin(request.testClassLoader(), deadline, request.debugging(),
        request.plan().keepOnFailure(), reportEntries, files);
    connect(deadline);
  }

  /**
   * Waits until the child's test method starts, after its mounts and {@code @BeforeEach} methods,
   * or until the child ends without it (a failure before, a skip): JUnit's timeout on the test
   * method then times the method, as in-process, not the child's start.
   */
  public void awaitMethodStart() {
    wait.untilMethodStarted();
  }

  /**
   * Waits until the child's test method has returned or thrown, before its {@code @AfterEach}
   * methods, or until the child ends without it: the part JUnit's timeout on the method times.
   */
  public void awaitMethodEnd() {
    wait.untilMethodEnded();
  }

  /** Waits until the child has reported and exited; see {@link #await}. */
  public Result awaitResult() {
    ChildWait.Ended ended = wait.untilEnded();
    ChildWait.flush();
    // It has exited (the loop ends only then): an untimed waitFor is, from JDK 19 on, a wait a
    // ForkJoinPool (a JUnit parallel test thread's) would start another thread for.
    int status = process.exitValue();
    // A child that reported, then hung past the hard limit on its way out, was killed: its
    // result stands.
    if (ended.timedOut() && ended.result() == null) {
      throw new ChildJvmException(describe("did not finish within " + format(request.timeout())
          + ", the limit set by isolatedmounts.timeout, so " + ended(ended, status)
          + "; the test's output ends with the child's thread dump"));
    }
    if (ended.unanswered()) {
      throw new ChildJvmException(describe("was still running its test when this thread was"
          + " interrupted (by JUnit's timeout), and reported nothing within "
          + format(ChildWait.INTERRUPT_GRACE) + " after, as a test that ignores interrupts does;"
          + " so " + ended(ended, status) + "; the test's output ends with the child's thread"
          + " dump"));
    }
    ProtocolException protocolError = ended.protocolError();
    if (protocolError != null) {
      throw new ChildJvmException(describe("broke the reporting protocol (" + protocolError
          .getMessage() + ") and " + ExitStatus.describe(status)), protocolError);
    }
    Result result = ended.result();
    boolean lingered = ended.lingered();
    if (result == null) {
      throw new ChildJvmException(describe((lingered
          ? "closed its connection without reporting a result and did not exit within "
              + format(ended.exitGrace()) + ", so it was killed; it "
          : "") + ExitStatus.describe(status) + " before reporting a result"
          + (lingered || ExitStatus.bySignal(status) ? ""
              : status == Result.UNSENT_EXIT_STATUS && output.lastLines()
                  .contains(Result.UNSENT_LINE) ? ": it could not send its result (the end of its"
                  + " stderr says why)"
              : request.plan().trapExit() ? ""
              : "; if the code under test calls System.exit, @IsolatedMounts(trapExit = true)"
                  + " turns the call into a SystemExitException that the test can assert (set"
                  + " on the innermost @IsolatedMounts: a method's replaces its class's)")));
    }
    return result;
  }

  /** Where the JVM options chosen for the child came from, if any were: "; " and the list. */
  private String chosenOptions() {
    String origin = request.chosenOptions().get();
    return origin.isEmpty() ? "" : "; " + origin;
  }

  /**
   * How a child was ended on a limit: killed, or, with keepOnFailure, first asked to exit so
   * that its shutdown hook could keep its mounts. Its status then says SIGTERM, which alone
   * would read as if something else had killed it.
   */
  private static String ended(ChildWait.Ended ended, int status) {
    return ended.askedToExit()
        ? "it was asked to exit (SIGTERM) to keep its mounts for keepOnFailure, and it and every"
            + " process it started were ended (" + ExitStatus.describe(status) + ")"
        : "it and every process it started were killed (" + ExitStatus.describe(status) + ")";
  }

  /**
   * Like {@link #await}, for a child whose output nobody reads and that may take {@code exitGrace}
   * to exit after it reported success, as a JVM writing a class-data-sharing archive at exit
   * does; after any other result it is killed if it has not exited within seconds.
   */
  Result awaitUnattended(ChildRequest request, Duration exitGrace) throws InterruptedException {
    wait.unattended(exitGrace);
    return await(request, entries -> { });
  }

  /** A duration as the configuration takes it: {@code 90s}, {@code 2m}, {@code 1h30m}. */
  static String format(Duration duration) {
    if (duration.toMillisPart() != 0 || duration.isZero()) {
      return duration.toMillis() + "ms";
    }
    StringBuilder text = new StringBuilder();
    if (duration.toHours() > 0) {
      text.append(duration.toHours()).append('h');
    }
    if (duration.toMinutesPart() > 0) {
      text.append(duration.toMinutesPart()).append('m');
    }
    if (duration.toSecondsPart() > 0) {
      text.append(duration.toSecondsPart()).append('s');
    }
    return text.toString();
  }

  private void connect(long deadline) throws InterruptedException {
    Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    boolean hardLimit = remaining.compareTo(request.connectTimeout()) < 0;
    try {
      connection = socket.accept(process, hardLimit ? remaining : request.connectTimeout(),
          this::authentic);
    } catch (IOException e) {
      throw new ChildJvmException(describe("could not be reached: " + e.getMessage()), e);
    }
    // A child that connected and then died (one started ahead, killed while it waited) fails
    // the pid check itself: that is no stranger's connection, and the failure below says why.
    if (socket.rejectedConnections() > 0 && (connection != null || process.isAlive())) {
      System.err.println("isolated-mounts: dropped " + socket.rejectedConnections()
          + " connection(s) to the socket of the child JVM of '" + request.displayName()
          + "' that did not prove to be that child (token and process id)");
    }
    if (connection == null) {
      if (process.isAlive()) {
        tree.kill();
        throw new ChildJvmException(describe("did not connect within "
            + (hardLimit ? format(request.timeout()) + ", the limit set by isolatedmounts.timeout"
                : format(request.connectTimeout()) + ", the limit set by"
                    + " isolatedmounts.connectTimeout") + ", so it was killed"));
      }
      int status = process.exitValue(); // it is not alive
      // What it wrote on its way out may still be in the pipes: the message needs it, and
      // nothing replays it, so its readers must not wait for room in the queue.
      wait.outputUnread();
      output.awaitEnd(ChildWait.OUTPUT_GRACE_NANOS);
      throw new ChildJvmException(describe(ExitStatus.describe(status) + " before connecting"
          + chosenOptions()));
    }
    try {
      new FrameWriter(Channels.newOutputStream(connection)).write(FrameType.ASSIGNMENT,
          new Assignment(request.uniqueId(), socket.parentMountNamespace(), request.plan(),
              request.systemProperties(), request.configurationParameters()).encode());
    } catch (IOException e) {
      throw new ChildJvmException(describe("could not be given its test: " + e.getMessage()), e);
    }
    assigned = true;
    Daemon.start("isolated-mounts-socket-" + process.pid(), this::readFrames);
  }

  private boolean authentic(Hello hello) {
    boolean authentic = MessageDigest.isEqual(hello.token().getBytes(StandardCharsets.US_ASCII),
        socket.token().getBytes(StandardCharsets.US_ASCII)) && tree.startedByUs(hello.pid());
    if (authentic) {
      tree.jvmConnected(hello.pid());
      JnaOptions.learn(spec.cacheDirectory(), spec.jvmOptions(), hello.libraryPath());
    }
    return authentic;
  }

  private void readFrames() {
    FrameReader reader = new FrameReader(Channels.newInputStream(connection),
        FrameReader.DEFAULT_MAX_PAYLOAD);
    try {
      while (true) {
        wait.add(new ChildEvent.Received(reader.read()));
      }
    } catch (EOFException e) {
      wait.add(new ChildEvent.SocketEnded(null));
    } catch (IOException e) {
      wait.add(new ChildEvent.SocketEnded(e));
    }
  }

  /**
   * The token travels over stdin: command lines and environments of processes are readable. A
   * child that has already exited (a JVM option it cannot start with ends it within
   * milliseconds) closed its end: the write fails with a broken pipe, which says nothing. Its
   * exit status and stderr say what happened, and waiting for it to connect reports them.
   */
  static void sendToken(Process process, String token) {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException exitedAlready) {
      // reported with its exit status when it does not connect
    }
  }

  private String describe(String what) {
    return "The child JVM of isolated test '" + request.displayName() + "' [" + request.uniqueId()
        + "] " + what + (Files.isRegularFile(crashReport)
            ? "; the JVM wrote a crash report: " + crashReport : "") + "; " + output.lastLines();
  }

  /** Marks it as started ahead of its test, by a pool. */
  void startedAhead() {
    startedAhead = true;
  }

  /**
   * Whether it was started ahead and failed before it was given its test ({@link #begin} threw):
   * its JVM died while it waited (killed, out of memory) and its test came before its process
   * had ended. That is not the test's doing.
   */
  boolean diedBeforeItsTest() {
    return startedAhead && !assigned;
  }

  /** Whether the child has ended: the process this JVM started for it has exited. */
  boolean exited() {
    return !process.isAlive();
  }

  /** The process this JVM started for the child (the first of the commands above its JVM). */
  ProcessHandle process() {
    return process.toHandle();
  }

  /** The directory of the child's socket, which only it and this JVM share. */
  Path socketDirectory() {
    return socket.directory();
  }

  /** Kills the child and every process it started, without waiting: {@link #close} follows. */
  void killTree() {
    tree.kill();
  }

  /**
   * Kills the child and everything it started that is still ours, and removes its directory. A
   * child that never got a test (one started ahead that no test took) is killed from below.
   */
  @Override
  public void close() {
    OpenChildren.remove(this);
    wait.outputUnread();
    if (request == null) {
      tree.killJvmBelowInit();
    }
    tree.kill();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (IOException ignored) {
      // closing a dead child's socket can only fail in ways that do not matter any more
    }
    // Its log is in the directory removed next.
    listing.ifPresent(log -> log.childEnded(request != null && !process.isAlive()));
    socket.close();
    if (hiddenDirectoryCopies != null) {
      hiddenDirectoryCopies.remove();
    }
  }
}
