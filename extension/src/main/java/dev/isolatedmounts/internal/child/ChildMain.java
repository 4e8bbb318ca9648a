package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.linux.UnixSocket;
import dev.isolatedmounts.internal.wire.Assignment;
import dev.isolatedmounts.internal.wire.Frame;
import dev.isolatedmounts.internal.wire.FrameReader;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.FrameWriter;
import dev.isolatedmounts.internal.wire.Hello;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.ReportEntryMessage;
import dev.isolatedmounts.internal.wire.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * The child JVM's entry point: {@code ChildMain <socket>}, with the token on stdin.
 *
 * <p>Order matters: connect before any mount (a mount may cover the socket's directory), mount
 * and verify before any test code, report, then exit so stray non-daemon threads cannot keep the
 * child alive.
 *
 * <p>This JVM runs in a PID namespace of its own (see {@code UnshareCommand}), under a shell that
 * is the namespace's init: when this JVM ends, the kernel ends everything the test started.
 */
public final class ChildMain {

  /** The system property naming the one test this JVM runs; the extension lets it proceed. */
  public static final String TEST_PROPERTY = "isolatedmounts.child.test";

  private static final int SIGKILL = 9;
  private static final String JNA_TEMPORARY_DIRECTORY = "jna.tmpdir";

  /** Set once the result is sent: from then on the socket closing is our own doing. */
  private static volatile boolean finished;

  /** Set, under {@link #KEEPING}, by whichever keeps the mounts: main, or the exit's hook. */
  private static boolean ending;
  private static final Object KEEPING = new Object();

  /**
   * Where {@link #testMethodStarts} and {@link #testMethodEnds} send their frames, once the test
   * is set up; {@code null} before that, and outside a child, where they do nothing.
   */
  private static volatile FrameWriter methodFrames;

  private ChildMain() {}

  public static void main(String[] args) throws IOException {
    Path socket = Path.of(args[0]);
    if (System.getProperty(JNA_TEMPORARY_DIRECTORY) == null) {
      // Before JNA loads, which makes its temporary directory then: by default in the user's
      // home (~/.cache/JNA/temp), on the host. The child's own goes with the child, and is
      // writable under a read-only root too (its private java.io.tmpdir, mounted later).
      System.setProperty(JNA_TEMPORARY_DIRECTORY,
          socket.resolveSibling("tmp").resolve("jna").toString());
    }
    // Our parent is the namespace's init; should it die, the kernel ends the namespace anyway.
    Syscalls.setParentDeathSignal(SIGKILL);
    String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))
        .readLine();

    UnixSocket channel = UnixSocket.connect(socket);
    FrameWriter writer = new FrameWriter(channel.output());
    // JNA has loaded (above): where it found the system's libraries, for the children after this.
    writer.write(FrameType.HELLO, new Hello(token, hostPid(),
        System.getProperty("jna.platform.library.path", "")).encode());
    // Before the assignment: a child from the pool prepares this while the test before runs.
    Prepared<SingleTestRunner> runner = Prepared.of(SingleTestRunner::prepare);
    Frame frame = new FrameReader(channel.input(), FrameReader.DEFAULT_MAX_PAYLOAD).read();
    Assignment assignment = Assignment.decode(frame.payload());
    dieWithParent(channel);

    Result result;
    String keepDirectory = assignment.systemProperties().get(KeptMounts.PROPERTY);
    MountSetup setup = null;
    try {
      boolean root = Syscalls.geteuid() == 0 && !inUserNamespace();
      setup = new MountSetup(socket.getParent(), root);
      setup.apply(assignment.plan(), assignment.parentMountNamespace(), keepDirectory);
      if (keepDirectory != null) {
        keepAtExit(setup);
      }
      if (assignment.plan().trapExit()) {
        ExitTrap.install();
      }
      assignment.systemProperties().forEach(System::setProperty);
      System.setProperty(TEST_PROPERTY, assignment.uniqueId());
      methodFrames = writer;
      Map<String, String> configuration = setup.publishedFiles()
          .map(directory -> PublishedFilesDirectory.configuration(
              assignment.configurationParameters(), directory))
          .orElse(assignment.configurationParameters());
      result = runner.get().run(assignment.uniqueId(), configuration,
          entries -> report(writer, entries),
          file -> send(writer, FrameType.FILE_ENTRY, file.encode(), "a published file"));
      result = CopyUpFailure.explain(result, assignment.plan(), root);
      FullTmpfs.note(result, assignment.plan());
    } catch (Throwable t) {
      result = new Result(Outcome.FAILED, t);
    }
    synchronized (KEEPING) {
      ending = true;
      if (keepDirectory != null && setup != null && result.outcome() == Outcome.FAILED) {
        keep(setup, result);
      }
    }
    System.out.flush();
    System.err.flush();
    int status = 0;
    try {
      writer.write(FrameType.RESULT, encode(result));
      finished = true;
      channel.shutdown();
    } catch (IOException | RuntimeException | Error e) {
      // After the result, only the parent hanging up first: nothing is left to tell it. Before,
      // said on stderr, which the parent shows with a missing result. Either way the exit below
      // must come, or a thread the test left running would keep this JVM up until the timeout.
      if (!finished) {
        e.printStackTrace();
        // Last, so that the tail of stderr the parent shows holds it, past a long stack trace.
        System.err.println(Result.UNSENT_LINE + " (" + result.outcome() + ") to the parent JVM: "
            + e);
        status = Result.UNSENT_EXIT_STATUS;
      }
    }
    if (assignment.plan().trapExit()) {
      ExitTrap.release();
    }
    System.exit(status);
  }

  /**
   * Called by the extension as the child's test method starts, after its {@code @BeforeEach}
   * methods: the parent's JUnit times the method from then on (until {@link #testMethodEnds}),
   * not the child's start.
   */
  public static void testMethodStarts() {
    methodFrame(FrameType.METHOD_STARTED, "the start of the test method");
  }

  /** Called by the extension as the test method returns or throws, before its @AfterEach. */
  public static void testMethodEnds() {
    methodFrame(FrameType.METHOD_ENDED, "the end of the test method");
  }

  private static void methodFrame(FrameType type, String what) {
    FrameWriter writer = methodFrames;
    if (writer != null) {
      send(writer, type, new byte[0], what);
    }
  }

  /**
   * Each string a result may be cut to, longest first, when the whole result does not fit a frame:
   * a failure comparing two large files carries each file's text two or three times.
   */
  private static final int[] STRING_LIMITS = {Integer.MAX_VALUE, 1 << 20, 1 << 16, 1 << 12};

  /**
   * The test's own exception code runs while encoding (getMessage overrides and the like), and a
   * result may not fit a frame even with its strings cut: then the parent still gets a failure
   * saying what happened.
   */
  static byte[] encode(Result result) {
    return encode(result, FrameReader.DEFAULT_MAX_PAYLOAD);
  }

  static byte[] encode(Result result, int maxPayload) {
    String problem = "";
    int size = 0;
    for (int limit : STRING_LIMITS) {
      try {
        byte[] encoded = result.encode(limit);
        if (encoded.length <= maxPayload) {
          return encoded;
        }
        size = Math.max(size, encoded.length);
        problem = "its encoded size, " + size + " bytes, exceeds the limit of " + maxPayload
            + " bytes even with each of its strings cut to " + limit + " characters";
      } catch (OutOfMemoryError e) {
        // The whole of a large failure may not fit the heap: cut, it may.
        problem = "encoding it ran out of memory";
      } catch (RuntimeException | Error e) {
        problem = "encoding it threw " + e.getClass().getName();
        break; // the test's own code threw: cutting strings changes nothing
      }
    }
    Throwable original = result.throwable();
    String what = original == null ? "no exception" : original.getClass().getName();
    IsolationException fallback = new IsolationException("The test ended " + result.outcome()
        + " with " + what + " in the child JVM, but the result could not be sent: " + problem);
    if (original != null) {
      try {
        fallback.setStackTrace(original.getStackTrace());
      } catch (RuntimeException | Error e) {
        // the test's own override threw: the stand-in keeps its own stack trace
      }
    }
    return new Result(result.outcome() == Outcome.SUCCESSFUL ? Outcome.FAILED : result.outcome(),
        fallback).encode();
  }

  /**
   * Keeps the mounts should this JVM exit before its test has ended: the test's code called
   * {@code System.exit} (without {@code trapExit}), or the parent ended it with SIGTERM on a
   * timeout. Its failure is then the parent's to tell, and this is all that is left of it.
   */
  private static void keepAtExit(MountSetup setup) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // One keep only: a keep main has begun is waited for (the JVM halts once hooks return).
      synchronized (KEEPING) {
        if (!ending) {
          ending = true;
          keep(setup, null);
        }
      }
    }, "isolated-mounts-keep"));
  }

  /** Keeping is a debugging aid: if it fails, the test's own failure still goes back, noting it. */
  private static void keep(MountSetup setup, Result result) {
    try {
      setup.keepAfterFailure();
    } catch (IOException | RuntimeException e) {
      if (result != null && result.throwable() != null) {
        result.throwable().addSuppressed(new IsolationException(
            "The mounts of this failed test could not be kept: " + e, e));
      }
    }
  }

  private static void report(FrameWriter writer, Map<String, String> entries) {
    send(writer, FrameType.REPORT_ENTRY, encode(new ReportEntryMessage(entries),
        FrameReader.DEFAULT_MAX_PAYLOAD), "a report entry");
  }

  /** A report entry too large for a frame travels with its values cut, rather than not at all. */
  static byte[] encode(ReportEntryMessage entry, int maxPayload) {
    for (int limit : STRING_LIMITS) {
      byte[] encoded = entry.encode(limit);
      if (encoded.length <= maxPayload) {
        return encoded;
      }
    }
    return new ReportEntryMessage(Map.of("isolated-mounts", "a report entry of "
        + entry.entries().size() + " keys was too large to send from the child JVM, even with"
        + " each value cut to " + STRING_LIMITS[STRING_LIMITS.length - 1] + " characters"))
        .encode();
  }

  private static void send(FrameWriter writer, FrameType type, byte[] payload, String what) {
    try {
      writer.write(type, payload);
    } catch (IOException e) {
      throw new UncheckedIOException("could not send " + what + " to the parent JVM", e);
    }
  }

  /**
   * If the parent JVM dies, this JVM must not live on: the parent sends nothing after the
   * assignment, so the end of the connection can only mean that it is gone (the kernel closes a
   * dead process's sockets). The parent-death signal cannot say it: our parent is the init.
   */
  private static void dieWithParent(UnixSocket channel) {
    Thread watcher = new Thread(() -> {
      byte[] buffer = new byte[64];
      try {
        while (channel.input().read(buffer) >= 0) {
          // nothing is expected; keep reading until the end
        }
      } catch (IOException e) {
        // shut down: by us when finished, otherwise the parent is gone
      }
      if (!finished) {
        Runtime.getRuntime().halt(SIGKILL + 128);
      }
    }, "isolated-mounts-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * This JVM's pid as the parent sees it: {@code getpid()} answers inside the PID namespace, but
   * {@code /proc} is the parent's, where {@code /proc/self} names this process by its outer pid.
   */
  static long hostPid() throws IOException {
    return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
  }

  /** In a user namespace, uid 0 (with --map-root-user) cannot give tmpfs the host's owners. */
  private static boolean inUserNamespace() {
    try {
      String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
      // The whole uid range mapped onto itself: the initial namespace. Not read with a regular
      // expression, which a fresh JVM pays some milliseconds to compile.
      StringTokenizer fields = new StringTokenizer(map);
      List<String> mapping = new ArrayList<>();
      while (fields.hasMoreTokens()) {
        mapping.add(fields.nextToken());
      }
      return !mapping.equals(List.of("0", "0", "4294967295"));
    } catch (IOException e) {
      return true;
    }
  }
}
