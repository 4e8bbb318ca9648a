package dev.isolatedmounts.internal.fork;

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
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child main classes that break the rules the way a broken or hostile child could; each is
 * started by {@link ChildProcessTests} in place of the real child main, inside real namespaces.
 */
final class MisbehavingChildren {

  private MisbehavingChildren() {}

  /** Connects, says hello with {@code token} and {@code pid}, and reads its assignment. */
  static SocketChannel connect(String socket, String token, long pid) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    new FrameWriter(Channels.newOutputStream(channel))
        .write(FrameType.HELLO, new Hello(token, pid, "").encode());
    return channel;
  }

  static SocketChannel connectAsChild(String socket) throws IOException {
    SocketChannel channel = connect(socket, token(), hostPid());
    new FrameReader(Channels.newInputStream(channel), FrameReader.DEFAULT_MAX_PAYLOAD).read();
    return channel;
  }

  static String token() throws IOException {
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))
        .readLine();
  }

  static long hostPid() throws IOException {
    return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
  }

  static void sleepForever() throws InterruptedException {
    Thread.sleep(600_000);
  }

  /**
   * Sends a report entry, on which the test interrupts its waiting thread, and reports a passing
   * result a second later, as a child whose own timeout fires after the parent's does.
   */
  static final class ReportsAfterAnInterrupt {
    public static void main(String[] args) throws IOException, InterruptedException {
      reportAfterAnInterrupt(args[0], 1000);
    }
  }

  /** Sends the report entry on which the test interrupts, and a passing result after a while. */
  private static void reportAfterAnInterrupt(String socket, long millis)
      throws IOException, InterruptedException {
    SocketChannel channel = connectAsChild(socket);
    FrameWriter writer = new FrameWriter(Channels.newOutputStream(channel));
    writer.write(FrameType.REPORT_ENTRY,
        new ReportEntryMessage(java.util.Map.of("interrupt", "now")).encode());
    Thread.sleep(millis);
    writer.write(FrameType.RESULT, new Result(Outcome.SUCCESSFUL, null).encode());
    channel.close();
  }

  /**
   * Sends a report entry, on which the test interrupts its waiting thread, and reports a passing
   * result well after the interrupt's grace, as a child stopped at a developer's breakpoint.
   */
  static final class ReportsLongAfterAnInterrupt {
    public static void main(String[] args) throws IOException, InterruptedException {
      reportAfterAnInterrupt(args[0], 6500); // past the parent's grace of 5 s
    }
  }

  /** Reports a passing result, then hangs with its connection open, as a stuck shutdown hook. */
  static final class ReportsThenHangs {
    public static void main(String[] args) throws Exception {
      SocketChannel channel = connectAsChild(args[0]);
      new FrameWriter(Channels.newOutputStream(channel))
          .write(FrameType.RESULT, new Result(Outcome.SUCCESSFUL, null).encode());
      sleepForever();
    }
  }

  /**
   * Says its test method starts, and a second later that it ended, then reports a passing result
   * a second after that, as a test method and an {@code @AfterEach} method that take a second.
   */
  static final class StartsItsMethod {
    public static void main(String[] args) throws IOException, InterruptedException {
      SocketChannel channel = connectAsChild(args[0]);
      FrameWriter writer = new FrameWriter(Channels.newOutputStream(channel));
      writer.write(FrameType.METHOD_STARTED, new byte[0]);
      Thread.sleep(1000);
      writer.write(FrameType.METHOD_ENDED, new byte[0]);
      Thread.sleep(1000);
      writer.write(FrameType.RESULT, new Result(Outcome.SUCCESSFUL, null).encode());
      channel.close();
    }
  }

  /** Plays by the rules: a passing result. */
  static final class Passes {
    public static void main(String[] args) throws IOException {
      SocketChannel channel = connectAsChild(args[0]);
      new FrameWriter(Channels.newOutputStream(channel))
          .write(FrameType.RESULT, new Result(Outcome.SUCCESSFUL, null).encode());
      channel.close();
    }
  }

  /**
   * Connects and says hello, then closes its end and lives on, as a child started ahead whose JVM
   * died while it waited does until its namespace has ended: it cannot be given its test.
   */
  /** Says hello, hangs up, and says so in its socket's directory ({@link #HUNG_UP}). */
  static final class HangsUpBeforeItsTest {
    public static void main(String[] args) throws Exception {
      connect(args[0], token(), hostPid()).close();
      Files.createFile(Path.of(args[0]).resolveSibling(HUNG_UP));
      sleepForever();
    }
  }

  static final String HUNG_UP = "hung-up";

  static final class NeverConnects {
    public static void main(String[] args) throws Exception {
      sleepForever();
    }
  }

  /** Knows the token, but is not the process the parent started. */
  static final class ForgesItsPid {
    public static void main(String[] args) throws Exception {
      connect(args[0], token(), 1);
      sleepForever();
    }
  }

  static final class ConnectsTwice {
    public static void main(String[] args) throws Exception {
      connectAsChild(args[0]);
      connectAsChild(args[0]);
      sleepForever();
    }
  }

  static final class SendsATruncatedFrame {
    public static void main(String[] args) throws IOException {
      OutputStream out = Channels.newOutputStream(connectAsChild(args[0]));
      out.write(new byte[] {0x04, 0, 0, 0, 100});
      out.write(new byte[10]);
      out.flush();
      System.exit(0);
    }
  }

  static final class SendsAnOversizedFrame {
    public static void main(String[] args) throws Exception {
      OutputStream out = Channels.newOutputStream(connectAsChild(args[0]));
      out.write(new byte[] {0x04, 0x40, 0, 0, 0});
      out.flush();
      sleepForever();
    }
  }

  static final class SendsGarbage {
    public static void main(String[] args) throws Exception {
      OutputStream out = Channels.newOutputStream(connectAsChild(args[0]));
      out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      sleepForever();
    }
  }

  /** Connects, takes its test and never reports: a test that hangs. */
  static final class Hangs {
    public static void main(String[] args) throws Exception {
      try (SocketChannel connection = connectAsChild(args[0])) {
        sleepForever();
      }
    }
  }

  static final class HangsUpWithoutAResult {
    public static void main(String[] args) throws Exception {
      connectAsChild(args[0]).close();
      sleepForever();
    }
  }
}
