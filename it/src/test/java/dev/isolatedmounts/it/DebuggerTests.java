package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.IsolatedMounts;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("isolatedmounts.debug")
class DebuggerTests {

  private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
  private static final int EVENT_COMMAND_SET = 64;
  private static final int COMPOSITE = 100;
  private static final int SUSPEND_ALL = 2;
  private static final int VM_START = 90;

  @Test
  @DisplayName("the child waits suspended for a debugger on the port, the parent says how to attach")
  void childWaitsForDebugger() throws Exception {
    int port = freePort();
    System.setProperty("it.debug.port", String.valueOf(port));
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EngineExecutionResults results;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CompletableFuture<EngineExecutionResults> run = CompletableFuture.supplyAsync(() ->
          Fixtures.run(DebuggedTestCase.class, Map.of("isolatedmounts.debug", "" + port)));

      try (Socket debugger = attach(port, run)) {
        DataInputStream in = new DataInputStream(debugger.getInputStream());
        DataOutputStream out = new DataOutputStream(debugger.getOutputStream());
        out.write(HANDSHAKE);
        byte[] answer = new byte[HANDSHAKE.length];
        in.readFully(answer);
        assertThat(answer).isEqualTo(HANDSHAKE);

        // With suspend=y the VM's first packet is the VM_START event, sent with every thread
        // suspended: nothing of the test has run yet.
        byte[] event = packet(in);
        assertThat(event[9]).as("command set").isEqualTo((byte) EVENT_COMMAND_SET);
        assertThat(event[10]).as("command").isEqualTo((byte) COMPOSITE);
        assertThat(event[11]).as("suspend policy").isEqualTo((byte) SUSPEND_ALL);
        assertThat(event[16]).as("event kind").isEqualTo((byte) VM_START);

        // VirtualMachine.Resume (command set 1, command 9); its reply has the same id.
        out.writeInt(11);
        out.writeInt(1);
        out.writeByte(0);
        out.writeByte(1);
        out.writeByte(9);
        out.flush();
        byte[] reply = packet(in);
        assertThat(reply[8]).as("reply flag").isEqualTo((byte) 0x80);
        assertThat(reply[9] << 8 | reply[10]).as("error code").isZero();
        results = run.join();
      }
    } finally {
      System.setErr(originalErr);
    }

    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("[isolated-mounts] The child JVM of"
        + " isolated test 'debugged()' waits for a debugger on port " + port
        + " (isolatedmounts.debug=" + port + "): attach with your IDE's remote JVM debug"
        + " configuration (socket attach, host localhost, port " + port + ") or with 'jdb -attach "
        + port + "'.");
  }

  @Test
  @DisplayName("off by default: no child gets a debugger agent")
  void offByDefault() {
    System.setProperty("it.debug.port", "none");

    Fixtures.run(DebuggedTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
  }

  /** Connects once the child listens; until then the port refuses (or the run has failed). */
  private static Socket attach(int port, CompletableFuture<EngineExecutionResults> run)
      throws IOException, InterruptedException {
    while (true) {
      try {
        return new Socket(InetAddress.getLoopbackAddress(), port);
      } catch (ConnectException notYet) {
        if (run.isDone()) {
          throw new AssertionError("the run ended before a debugger could attach: "
              + run.join().testEvents().list(), notYet);
        }
        Thread.sleep(50);
      }
    }
  }

  private static byte[] packet(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] packet = new byte[length];
    packet[0] = (byte) (length >>> 24);
    packet[1] = (byte) (length >>> 16);
    packet[2] = (byte) (length >>> 8);
    packet[3] = (byte) length;
    in.readFully(packet, 4, length - 4);
    return packet;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @IsolatedMounts
  static class DebuggedTestCase {
    @Test
    void debugged() {
      String port = System.getProperty("it.debug.port");
      var agents = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(option -> option.startsWith("-agentlib:jdwp")).toList();
      if (port.equals("none")) {
        assertThat(agents).isEmpty();
      } else {
        assertThat(agents).containsExactly(
            "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=" + port);
      }
    }
  }
}
