package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.Assignment;
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
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  private final ChildRequest request;
  private final ChildSocket socket;
  private final Process process;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StderrTail stderrTail = new StderrTail();
  private SocketChannel connection;

  private ChildProcess(ChildRequest request, ChildSocket socket, Process process) {
    this.request = request;
    this.socket = socket;
    this.process = process;
  }

  /** Starts the child of {@code request} inside the namespaces {@code unshare} makes. */
  public static ChildProcess start(NamespaceProbe.Supported namespaces, ChildRequest request)
      throws IOException {
    ChildSocket socket = ChildSocket.open();
    try {
      List<String> jvmArguments = new ArrayList<>(request.jvmOptions());
      jvmArguments.addAll(HermeticJvmOptions.of(request.plan(), socket.directory()));
      jvmArguments.add("-cp");
      jvmArguments.add(String.join(java.io.File.pathSeparator, request.classPath()));
      Path argFile = ArgFile.write(socket.directory().resolve("jvm.args"), jvmArguments);

      List<String> command = new ArrayList<>(
          namespaces.command().prefix(request.plan().propagation()));
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("@" + argFile);
      command.add(MAIN_CLASS);
      command.add(socket.address().toString());
      command.add(Long.toString(ProcessHandle.current().pid()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(Path.of(System.getProperty("user.dir")).toFile());
      Process process = Spawner.start(builder);
      ChildProcess child = new ChildProcess(request, socket, process);
      child.sendToken();
      child.pumpOutput();
      return child;
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
   * @return the child's result
   * @throws ChildJvmException when the child ended or misbehaved without a result
   */
  public Result await(Consumer<Map<String, String>> reportEntries) throws InterruptedException {
    connect();
    Result result = null;
    ProtocolException protocolError = null;
    boolean socketOpen = true;
    int streamsOpen = 2;
    long exitedAt = 0;
    while (socketOpen || streamsOpen > 0 || exitedAt == 0) {
      Event event = events.poll(50, TimeUnit.MILLISECONDS);
      if (event == null) {
        if (exitedAt == 0 && !process.isAlive()) {
          exitedAt = System.nanoTime();
        }
        if (exitedAt != 0 && System.nanoTime() - exitedAt > OUTPUT_GRACE_NANOS) {
          break; // something the child started still holds its pipes or socket
        }
        continue;
      }
      if (event instanceof Event.Output output) {
        (output.stderr() ? System.err : System.out).write(output.bytes(), 0, output.bytes().length);
      } else if (event instanceof Event.StreamEnded) {
        streamsOpen--;
        flush();
      } else if (event instanceof Event.Received received) {
        Frame frame = received.frame();
        try {
          if (frame.type() == FrameType.REPORT_ENTRY) {
            reportEntries.accept(ReportEntryMessage.decode(frame.payload()).entries());
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
        if (ended.error() instanceof ProtocolException bad && protocolError == null) {
          protocolError = bad;
        }
      }
    }
    flush();
    int status = process.waitFor();
    if (protocolError != null) {
      throw new ChildJvmException(describe("broke the reporting protocol (" + protocolError
          .getMessage() + ") and " + ExitStatus.describe(status)), protocolError);
    }
    if (result == null) {
      throw new ChildJvmException(describe(ExitStatus.describe(status)
          + " before reporting a result"));
    }
    return result;
  }

  private void connect() throws InterruptedException {
    try {
      connection = socket.accept(process, request.connectTimeout(), this::authentic);
    } catch (IOException e) {
      throw new ChildJvmException(describe("could not be reached: " + e.getMessage()), e);
    }
    if (connection == null) {
      if (process.isAlive()) {
        throw new ChildJvmException(describe("did not connect within "
            + request.connectTimeout().toSeconds() + " s"));
      }
      int status = process.waitFor();
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
    return hello.pid() == process.pid() && MessageDigest.isEqual(
        hello.token().getBytes(StandardCharsets.US_ASCII),
        socket.token().getBytes(StandardCharsets.US_ASCII));
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

  /** The token travels over stdin: command lines and environments of processes are readable. */
  private void sendToken() throws IOException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((socket.token() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
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
          }
          events.add(new Event.Output(stderr, bytes));
        }
      } catch (IOException closed) {
        // the child is gone and close() closed the pipe: nothing more to read
      }
      events.add(new Event.StreamEnded());
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
        + "] " + what + "; " + stderrTail.render();
  }

  /** Kills the child and everything it started that is still ours, and removes its directory. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
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
  }

  private sealed interface Event {
    record Output(boolean stderr, byte[] bytes) implements Event {}

    record StreamEnded() implements Event {}

    record Received(Frame frame) implements Event {}

    record SocketEnded(IOException error) implements Event {}
  }
}
