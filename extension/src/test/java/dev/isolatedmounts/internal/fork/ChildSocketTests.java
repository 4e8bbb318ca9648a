package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.FrameWriter;
import dev.isolatedmounts.internal.wire.Hello;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChildSocket, against other local processes")
class ChildSocketTests {

  private static final long CHILD_PID = 4242;

  private ChildSocket socket;
  private Process stillRunning;

  @BeforeEach
  void open() throws IOException {
    socket = ChildSocket.open();
    stillRunning = new ProcessBuilder("sleep", "60").start();
  }

  @AfterEach
  void close() {
    socket.close();
    stillRunning.destroyForcibly();
  }

  /** A Unix socket's path has at most 107 bytes; a deep java.io.tmpdir would pass it. */
  @Test
  @DisplayName("in a temporary directory too deep for a socket's path: says so, leaves nothing")
  void tooDeep(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
    Path deep = Files.createDirectories(temp.resolve("a".repeat(100)));
    org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> ChildSocket.open(deep))
        .withMessageStartingWith("the path of its socket, " + deep + "/isolated-mounts-")
        .withMessageEndingWith(", is longer than a Unix socket's path may be (107 bytes): it is"
            + " made in java.io.tmpdir, " + deep + "; give the test run's JVM a shorter one"
            + " (-Djava.io.tmpdir=/tmp/build-1, say)");
    try (java.util.stream.Stream<Path> left = Files.list(deep)) {
      assertThat(left).as("left in it").isEmpty();
    }
  }

  @Test
  @DisplayName("lives in a directory only this user can enter, named after this JVM")
  void privateDirectory() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.directory())))
        .isEqualTo("rwx------");
    assertThat(socket.directory().getFileName().toString())
        .startsWith("isolated-mounts-" + ProcessHandle.current().pid() + "-");
    assertThat(socket.token()).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  @DisplayName("drops and counts clients without the token; accepts the child; then no one")
  void forgedClients() throws Exception {
    CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
      try {
        return socket.accept(stillRunning, Duration.ofSeconds(30), hello ->
            hello.token().equals(socket.token()) && hello.pid() == CHILD_PID);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(dropped(client -> client.write(ByteBuffer.wrap(
        "not a frame at all".getBytes(StandardCharsets.US_ASCII))))).isTrue();
    assertThat(dropped(client -> hello(client, "0".repeat(64), CHILD_PID))).isTrue();
    assertThat(dropped(client -> hello(client, socket.token(), ProcessHandle.current().pid())))
        .as("the token, from a process that is not the child").isTrue();
    assertThat(dropped(client -> client.write(ByteBuffer.wrap(new byte[] {0x01, 0x7f, 0, 0, 0}))))
        .as("a HELLO frame declaring 2 GiB").isTrue();

    SocketChannel child = connect();
    hello(child, socket.token(), CHILD_PID);
    SocketChannel server = accepted.get();

    assertThat(server).isNotNull();
    assertThat(socket.rejectedConnections()).isEqualTo(4);
    assertThatExceptionOfType(ConnectException.class).as("a connection after the child's")
        .isThrownBy(this::connect);
    server.close();
    child.close();
  }

  @Test
  @DisplayName("closing removes the directory, socket and all")
  void closeRemovesEverything() {
    socket.close();

    assertThat(socket.directory()).doesNotExist();
  }

  private interface ClientAction {
    void act(SocketChannel client) throws IOException;
  }

  /** Whether the server closed the connection after {@code action}. */
  private boolean dropped(ClientAction action) throws IOException {
    try (SocketChannel client = connect()) {
      action.act(client);
      return client.read(ByteBuffer.allocate(1)) < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  private SocketChannel connect() throws IOException {
    SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
    client.connect(UnixDomainSocketAddress.of(socket.address()));
    return client;
  }

  private static void hello(SocketChannel client, String token, long pid) throws IOException {
    new FrameWriter(Channels.newOutputStream(client))
        .write(FrameType.HELLO, new Hello(token, pid, "").encode());
  }
}
