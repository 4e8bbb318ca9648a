package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.Assignment;
import dev.isolatedmounts.internal.wire.FileEntryMessage;
import dev.isolatedmounts.internal.wire.Frame;
import dev.isolatedmounts.internal.wire.FrameReader;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.FrameWriter;
import dev.isolatedmounts.internal.wire.Hello;
import dev.isolatedmounts.internal.wire.ProtocolException;
import dev.isolatedmounts.internal.wire.ReportEntryMessage;
import dev.isolatedmounts.internal.wire.Result;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One child JVM: started inside new namespaces, authenticated over its private socket, given its
 * test, and supervised until it has reported and exited. Closing it kills what is left and
 * deletes its directory.
 */
public final class ChildProcess implements AutoCloseable {

  static final String MAIN_CLASS = "dev.isolatedmounts.internal.child.ChildMain";

  /** How long output may keep flowing after the child exited (a grandchild may hold the pipe). */
  private static final long OUTPUT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** How long a child that never got a test may take to end from below, before it is killed. */
  private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * How long a child may take to report after the waiting thread was interrupted. JUnit's
   * {@code @Timeout} runs here as well as in the child, here from when the child said its test
   * method started: the child's own {@code TimeoutException}, which shows where the test was,
   * comes within that. A test that ignores interrupts never reports.
   */
  static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

  /** Set by {@link #begin}; read by {@link #close}, which a shutdown hook may call. */
  private volatile ChildRequest request;
  private volatile HiddenDirectoryCopies hiddenDirectoryCopies;
  private final ChildSocket socket;
  private final Process process;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final OutputTail stderrTail = new OutputTail("stderr");
  private final OutputTail stdoutTail = new OutputTail("stdout");
  /** Counted down as each of the child's two output streams ends. */
  private final CountDownLatch outputEnded = new CountDownLatch(2);
  /** Where the child JVM writes its report if it crashes. */
  private final Path crashReport;
  /** When the hard limit of the test is reached; set when the child is given its test. */
  private long deadline;
  /** Read by the stdout pump too: until it is set, the child's stdout is the JVM's own. */
  private volatile SocketChannel connection;
  /** The child JVM's pid, once it has proved who it is. */
  private volatile long jvmPid;
  /** How long the child may take to exit after its connection ended, before it is killed. */
  private long exitGraceNanos = OUTPUT_GRACE_NANOS;
  /** Whether its output goes nowhere: nobody reads a training's. */
  private boolean discardOutput;

  // The wait for the result, which the test thread may do in two parts (see begin).
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
  private boolean timedOut;
  private boolean lingered;
  private boolean unanswered;
  private boolean outputAbandoned;

  private ChildProcess(ChildSocket socket, Process process, Path crashReport) {
    this.socket = socket;
    this.process = process;
    this.crashReport = crashReport;
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
    try {
      // JDK 25's cache is used only by JVMs with the agents it was made with: there the exit
      // trap's agent is one of the options the archive is named by and trained with.
      boolean agentArchived = spec.trapExit() && ClassDataSharing.archivesJavaAgents();
      LaunchSpec archived = agentArchived ? spec.withJvmOptions(HermeticJvmOptions.exitTrap())
          : spec;
      ClassDataSharing.Layout layout = archived.cacheDirectory()
          .map(cache -> ClassDataSharing.layout(archived, cache))
          .orElse(new ClassDataSharing.Layout(archived.classPath(), archived.jvmOptions()));
      List<String> jvmArguments = new ArrayList<>(layout.jvmOptions());
      jvmArguments.addAll(JnaOptions.forChild(spec.cacheDirectory(), layout.jvmOptions()));
      jvmArguments.addAll(HermeticJvmOptions.of(spec.readOnlyRoot(),
          spec.trapExit() && !agentArchived, socket.directory()));
      Path crashReport = Path.of(System.getProperty("user.dir"),
          "hs_err_" + socket.directory().getFileName() + ".log");
      if (!JvmOption.setsFlag(spec.jvmOptions(), "ErrorFile")) {
        // Every child is pid 2 in its PID namespace, so the JVM's own crash report name,
        // hs_err_pid2.log, would be the same for all: each gets the name of its directory.
        jvmArguments.add("-XX:ErrorFile=" + crashReport);
      }
      jvmArguments.add("-cp");
      jvmArguments.add(String.join(java.io.File.pathSeparator, layout.classPath()));
      Path argFile = ArgFile.write(socket.directory().resolve("jvm.args"), jvmArguments);

      List<String> command = new ArrayList<>(ParentDeath.prefix());
      command.addAll(spec.namespaces().command().prefix(spec.propagation()));
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("@" + argFile);
      command.add(mainClass);
      command.add(socket.address().toString());
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(Path.of(System.getProperty("user.dir")).toFile());
      Process process = Spawner.start(builder);
      ChildProcess child = new ChildProcess(socket, process, crashReport);
      try {
        sendToken(process, socket.token());
        child.pumpOutput();
        child.watchExit();
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
   * has {@link #INTERRUPT_GRACE} to report its own result. After that its threads are dumped into
   * the test's output and it is killed. The interrupt is kept for the caller.
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
    this.reportEntries = reportEntries;
    this.files = files;
    // The limit counts from the test's start: a child started ahead may have waited a while.
    this.deadline = System.nanoTime() + request.timeout().toNanos();
    connect();
  }

  /**
   * Waits until the child's test method starts, after its mounts and {@code @BeforeEach} methods,
   * or until the child ends without it (a failure before, a skip): JUnit's timeout on the test
   * method then times the method, as in-process, not the child's start.
   */
  public synchronized void awaitMethodStart() throws InterruptedException {
    waitUntil(() -> methodStarted);
  }

  /**
   * Waits until the child's test method has returned or thrown, before its {@code @AfterEach}
   * methods, or until the child ends without it: the part JUnit's timeout on the method times.
   */
  public synchronized void awaitMethodEnd() throws InterruptedException {
    waitUntil(() -> methodEnded);
  }

  /** Waits until the child has reported and exited; see {@link #await}. */
  public synchronized Result awaitResult() throws InterruptedException {
    waitUntil(() -> false);
    flush();
    // It has exited (the loop ends only then): an untimed waitFor is, from JDK 19 on, a wait a
    // ForkJoinPool (a JUnit parallel test thread's) would start another thread for.
    int status = process.exitValue();
    if (timedOut) {
      throw new ChildJvmException(describe("did not finish within " + format(request.timeout())
          + ", the limit set by isolatedmounts.timeout, so it and every process it started were"
          + " killed (" + ExitStatus.describe(status) + "); the test's output ends with the"
          + " child's thread dump"));
    }
    if (unanswered) {
      throw new ChildJvmException(describe("was still running its test when this thread was"
          + " interrupted (by JUnit's timeout), and reported nothing within "
          + format(INTERRUPT_GRACE) + " after, as a test that ignores interrupts does; so it was"
          + " killed (" + ExitStatus.describe(status) + "); the test's output ends with the child's"
          + " thread dump"));
    }
    if (protocolError != null) {
      throw new ChildJvmException(describe("broke the reporting protocol (" + protocolError
          .getMessage() + ") and " + ExitStatus.describe(status)), protocolError);
    }
    if (result == null) {
      throw new ChildJvmException(describe((lingered
          ? "closed its connection without reporting a result and did not exit within "
              + format(Duration.ofNanos(exitGraceNanos)) + ", so it was killed; it "
          : "") + ExitStatus.describe(status) + " before reporting a result"
          + (lingered || ExitStatus.bySignal(status) || request.plan().trapExit() ? ""
              : "; if the code under test calls System.exit, @IsolatedMounts(trapExit = true)"
                  + " turns the call into a SystemExitException that the test can assert")));
    }
    return result;
  }

  /** Steps until {@code reached} holds or the wait has ended; keeps an interrupt meanwhile. */
  private void waitUntil(BooleanSupplier reached) throws InterruptedException {
    interruptedNow = false;
    try {
      while (!reached.getAsBoolean() && !waitEnded()) {
        step();
      }
    } finally {
      if (interruptedNow) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the child has exited and its output, socket and pipes are done with. */
  private boolean waitEnded() {
    return outputAbandoned || !(socketOpen || streamsOpen > 0 || exitedAt == 0);
  }

  /** One turn of the wait: enforces the limits, then handles at most one event. */
  private void step() throws InterruptedException {
    // Killed even if an interrupt ends the dump: the flags below say it is done already.
    if (!timedOut && System.nanoTime() - deadline >= 0) {
      timedOut = true;
      try {
        dumpThreads();
      } finally {
        kill(); // then keep replaying what it wrote, the thread dump too, until its pipes end
      }
    }
    if (interruptedAt != 0 && !unanswered && !timedOut && result == null && exitedAt == 0
        && System.nanoTime() - interruptedAt >= INTERRUPT_GRACE.toNanos()) {
      unanswered = true;
      try {
        dumpThreads();
      } finally {
        kill();
      }
    }
    Event event;
    try {
      event = events.poll(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interruptedAt = interruptedAt == 0 ? System.nanoTime() : interruptedAt;
      interruptedNow = true;
      return;
    }
    if (event == null) {
      long now = System.nanoTime();
      if (exitedAt != 0 && now - exitedAt > OUTPUT_GRACE_NANOS) {
        outputAbandoned = true; // something the child started still holds its pipes or socket
      } else if (exitedAt == 0 && !socketOpen && !lingered
          && now - socketEndedAt > exitGraceNanos) {
        // It can report nothing more: after a result it should have exited, without one it
        // broke the protocol or closed the connection; either way it must not hang the suite.
        lingered = true;
        kill();
      }
      return;
    }
    if (event instanceof Event.Output output) {
      if (!discardOutput) {
        (output.stderr() ? System.err : System.out).write(output.bytes(), 0,
            output.bytes().length);
      }
    } else if (event instanceof Event.Exited) {
      exitedAt = exitedAt == 0 ? System.nanoTime() : exitedAt;
    } else if (event instanceof Event.StreamEnded) {
      streamsOpen--;
      flush();
    } else if (event instanceof Event.Received received) {
      Frame frame = received.frame();
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
          result = Result.decode(frame.payload(), request.testClassLoader());
        } else {
          throw new ProtocolException("unexpected " + frame.type() + " frame");
        }
      } catch (ProtocolException e) {
        protocolError = protocolError == null ? e : protocolError;
      }
    } else if (event instanceof Event.SocketEnded ended) {
      socketOpen = false;
      socketEndedAt = System.nanoTime();
      if (ended.error() instanceof ProtocolException bad && protocolError == null) {
        protocolError = bad;
      }
    }
  }

  /**
   * Like {@link #await}, for a child whose output nobody reads and that may take {@code exitGrace}
   * to exit after it reported, as a JVM writing a class-data-sharing archive at exit does.
   */
  Result awaitUnattended(ChildRequest request, Duration exitGrace) throws InterruptedException {
    this.discardOutput = true;
    this.exitGraceNanos = exitGrace.toNanos();
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

  private void connect() throws InterruptedException {
    Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    boolean hardLimit = remaining.compareTo(request.connectTimeout()) < 0;
    try {
      connection = socket.accept(process, hardLimit ? remaining : request.connectTimeout(),
          this::authentic);
    } catch (IOException e) {
      throw new ChildJvmException(describe("could not be reached: " + e.getMessage()), e);
    }
    if (socket.rejectedConnections() > 0) {
      System.err.println("isolated-mounts: dropped " + socket.rejectedConnections()
          + " connection(s) to the socket of the child JVM of '" + request.displayName()
          + "' that did not prove to be that child (token and process id)");
    }
    if (connection == null) {
      if (process.isAlive()) {
        kill();
        throw new ChildJvmException(describe("did not connect within "
            + (hardLimit ? format(request.timeout()) + ", the limit set by isolatedmounts.timeout"
                : format(request.connectTimeout()) + ", the limit set by"
                    + " isolatedmounts.connectTimeout") + ", so it was killed"));
      }
      int status = process.exitValue(); // it is not alive
      // What it wrote on its way out may still be in the pipes: the message needs it.
      outputEnded.await(OUTPUT_GRACE_NANOS, TimeUnit.NANOSECONDS);
      throw new ChildJvmException(describe(ExitStatus.describe(status) + " before connecting"));
    }
    try {
      new FrameWriter(Channels.newOutputStream(connection)).write(FrameType.ASSIGNMENT,
          new Assignment(request.uniqueId(), socket.parentMountNamespace(), request.plan(),
              request.systemProperties(), request.configurationParameters()).encode());
    } catch (IOException e) {
      throw new ChildJvmException(describe("could not be given its test: " + e.getMessage()), e);
    }
    daemon("isolated-mounts-socket-" + process.pid(), this::readFrames);
  }

  private boolean authentic(Hello hello) {
    boolean authentic = MessageDigest.isEqual(hello.token().getBytes(StandardCharsets.US_ASCII),
        socket.token().getBytes(StandardCharsets.US_ASCII)) && startedByUs(hello.pid());
    if (authentic) {
      jvmPid = hello.pid();
    }
    return authentic;
  }

  /**
   * Asks the child JVM for a thread dump (SIGQUIT: the JVM prints every thread's stack to its
   * stdout, which is replayed into the test's output), so a hang can be diagnosed after the kill.
   */
  private void dumpThreads() throws InterruptedException {
    if (jvmPid == 0 || !process.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-QUIT", Long.toString(jvmPid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
      Thread.sleep(1000); // the dump takes a safepoint and a moment to write
    } catch (IOException e) {
      // no dump then; the kill and the failure still come
    }
  }

  /** The JVM runs below {@code unshare} and the namespace's init: a grandchild of ours. */
  private boolean startedByUs(long pid) {
    Optional<ProcessHandle> ancestor = ProcessHandle.of(pid);
    for (int generation = 0; generation < 3 && ancestor.isPresent(); generation++) {
      ancestor = ancestor.get().parent();
      if (ancestor.isPresent() && ancestor.get().pid() == process.pid()) {
        return true;
      }
    }
    return false;
  }

  private void readFrames() {
    FrameReader reader = new FrameReader(Channels.newInputStream(connection),
        FrameReader.DEFAULT_MAX_PAYLOAD);
    try {
      while (true) {
        events.add(new Event.Received(reader.read()));
      }
    } catch (EOFException e) {
      events.add(new Event.SocketEnded(null));
    } catch (IOException e) {
      events.add(new Event.SocketEnded(e));
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

  /**
   * A test ends when its child has exited: this is told at once, rather than found on a later
   * poll. A thread of its own waits, not {@code Process.onExit()}, whose continuation needs a free
   * thread of the common ForkJoinPool, which a test (or the parent's own code) may be holding.
   */
  private void watchExit() {
    daemon("isolated-mounts-exit-" + process.pid(), () -> {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        return; // only this JVM's end interrupts a daemon; no test waits any more
      }
      events.add(new Event.Exited());
    });
  }

  private void pumpOutput() {
    pump(process.getInputStream(), false);
    pump(process.getErrorStream(), true);
  }

  private void pump(InputStream stream, boolean stderr) {
    daemon("isolated-mounts-" + (stderr ? "stderr-" : "stdout-") + process.pid(), () -> {
      byte[] buffer = new byte[8192];
      try (stream) {
        for (int n; (n = stream.read(buffer)) > 0; ) {
          byte[] bytes = java.util.Arrays.copyOf(buffer, n);
          if (stderr) {
            stderrTail.accept(bytes);
          } else if (connection == null) {
            stdoutTail.accept(bytes);
          }
          events.add(new Event.Output(stderr, bytes));
        }
      } catch (IOException closed) {
        // the child is gone and close() closed the pipe: nothing more to read
      }
      events.add(new Event.StreamEnded());
      outputEnded.countDown();
    });
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void flush() {
    System.out.flush();
    System.err.flush();
  }

  private String describe(String what) {
    return "The child JVM of isolated test '" + request.displayName() + "' [" + request.uniqueId()
        + "] " + what + (Files.isRegularFile(crashReport)
            ? "; the JVM wrote a crash report: " + crashReport : "") + "; " + output();
  }

  /**
   * The last lines of its stderr, and, if it never connected, of its stdout first: there the JVM
   * writes why it could not start ("Error occurred during initialization of VM").
   */
  private String output() {
    if (connection != null || stdoutTail.isEmpty()) {
      return stderrTail.render();
    }
    return stdoutTail.render() + (stderrTail.isEmpty() ? "" : "; " + stderrTail.render());
  }

  /** Whether the child has ended: the process this JVM started for it has exited. */
  boolean exited() {
    return !process.isAlive();
  }

  /** The process this JVM started for the child (the first of the commands above its JVM). */
  ProcessHandle process() {
    return process.toHandle();
  }

  /**
   * Kills the child and everything it started that is still ours, and removes its directory. A
   * child that never got a test (one started ahead that no test took) is killed from below.
   */
  @Override
  public void close() {
    if (request == null) {
      killJvmBelowInit();
    }
    kill();
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
    socket.close();
    if (hiddenDirectoryCopies != null) {
      hiddenDirectoryCopies.remove();
    }
  }

  /**
   * Ends a child that never got a test by killing its JVM, below the namespace's init: the init
   * reaps it and exits, {@code unshare} reaps the init and exits, and this JVM reaps
   * {@code unshare}. So the CPU time the child spent starting and warming up, about as much as a
   * test's child, is counted as this JVM's children's, as every other child's is (what
   * {@code time} reports, and the benchmark). Killed from the top, the init and the JVM were
   * reaped by the host's init instead, and their time was counted nowhere; nor is it when the
   * init is killed (the kernel then reaps the JVM, measured). A JVM killed outright runs no
   * shutdown hook (a coverage agent's would record a JVM that ran no test). Right after the fork
   * the JVM may not exist yet: it is looked for until {@code unshare} exits.
   */
  private void killJvmBelowInit() {
    long deadline = System.nanoTime() + EXIT_GRACE_NANOS;
    while (process.isAlive() && System.nanoTime() - deadline < 0) {
      long unshare = process.pid();
      // One look at the host's processes: the JVM is a child of a child of unshare.
      process.descendants().filter(below -> below.parent().flatMap(ProcessHandle::parent)
          .map(ProcessHandle::pid).orElse(-1L) == unshare).forEach(ProcessHandle::destroyForcibly);
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // killed from the top instead, at once
      }
    }
  }

  /**
   * Killing {@code unshare} is enough: {@code --kill-child} kills the namespace's init, whose end
   * makes the kernel kill every process in the namespace, however it was started. The processes
   * still below it are killed as well, in case the kernel's chain is slower than this call. They
   * are listed first and killed after it: killed before it, they would leave {@code unshare} alive
   * for a moment to see its child die and complain on stderr, which ends up in the failure.
   */
  private void kill() {
    if (!process.isAlive()) {
      // Then so is the namespace's init, and the kernel has ended everything else in it; what
      // was below unshare is no longer, anyway, found below it. A child that ended as it should
      // is not looked for among all the host's processes.
      return;
    }
    List<ProcessHandle> below = process.descendants().toList();
    process.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
  }

  private sealed interface Event {
    record Output(boolean stderr, byte[] bytes) implements Event {}

    record StreamEnded() implements Event {}

    record Exited() implements Event {}

    record Received(Frame frame) implements Event {}

    record SocketEnded(IOException error) implements Event {}
  }
}
