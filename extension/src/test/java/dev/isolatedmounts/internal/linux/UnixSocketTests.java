package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("UnixSocket")
class UnixSocketTests {

  @TempDir
  Path directory;

  @Test
  @DisplayName("carries bytes both ways, at any offset, to a JDK server socket")
  void bothWays() throws Exception {
    Path path = directory.resolve("s");
    try (ServerSocketChannel server = listen(path);
        UnixSocket socket = UnixSocket.connect(path);
        SocketChannel peer = server.accept()) {
      socket.output().write(new byte[] {9, 1, 2, 3, 9}, 1, 3);
      ByteBuffer received = ByteBuffer.allocate(3);
      while (received.hasRemaining()) {
        peer.read(received);
      }
      assertThat(received.array()).containsExactly(1, 2, 3);

      byte[] large = new byte[1 << 20];
      for (int i = 0; i < large.length; i++) {
        large[i] = (byte) i;
      }
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          Channels.newOutputStream(peer).write(large);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] read = new byte[large.length + 7];
      int total = 0;
      while (total < large.length) {
        total += socket.input().read(read, 7 + total, large.length - total);
      }
      sending.get(30, TimeUnit.SECONDS);
      assertThat(java.util.Arrays.copyOfRange(read, 7, read.length)).isEqualTo(large);
    }
  }

  @Test
  @DisplayName("reads the end of the stream when the peer closes, and after its own shutdown")
  void endOfStream() throws Exception {
    Path path = directory.resolve("s");
    try (ServerSocketChannel server = listen(path);
        UnixSocket socket = UnixSocket.connect(path)) {
      server.accept().close();
      assertThat(socket.input().read()).isEqualTo(-1);
    }
    try (ServerSocketChannel server = listen(directory.resolve("t"));
        UnixSocket socket = UnixSocket.connect(directory.resolve("t"));
        SocketChannel peer = server.accept()) {
      InputStream input = socket.input();
      CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
        try {
          return input.read();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(100);
      assertThat(blocked).isNotDone();
      socket.shutdown();
      assertThat(blocked.get(10, TimeUnit.SECONDS)).as("woken by the shutdown").isEqualTo(-1);
      assertThat(peer.read(ByteBuffer.allocate(1))).as("the peer sees the end too").isEqualTo(-1);
    }
  }

  @Test
  @DisplayName("writing to a peer that is gone fails with EPIPE, without killing the JVM")
  void peerGone() throws Exception {
    Path path = directory.resolve("s");
    try (ServerSocketChannel server = listen(path);
        UnixSocket socket = UnixSocket.connect(path)) {
      server.accept().close();
      assertThatExceptionOfType(SyscallException.class).isThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          socket.output().write(new byte[4096]);
        }
      }).satisfies(e -> assertThat(e.errnoName()).isIn("EPIPE", "ECONNRESET"));
    }
  }

  @Test
  @DisplayName("names the path and the errno when nothing listens")
  void refused() {
    Path path = directory.resolve("nobody-listens");
    assertThatExceptionOfType(SyscallException.class)
        .isThrownBy(() -> UnixSocket.connect(path))
        .withMessageContaining("connect(")
        .withMessageContaining(path.toString())
        .withMessageContaining("ENOENT");
  }

  @Test
  @DisplayName("refuses a path too long for a socket address, saying how long it is")
  void tooLong() {
    Path path = directory.resolve("x".repeat(120));
    assertThatExceptionOfType(IOException.class)
        .isThrownBy(() -> UnixSocket.connect(path))
        .withMessageContaining("shorter than 108 bytes")
        .withMessageContaining("has " + path.toString().length() + " bytes");
  }

  @Test
  @DisplayName("encodes sockaddr_un: AF_UNIX in native order, the path, a NUL")
  void address() throws IOException {
    byte[] address = UnixSocket.address(Path.of("/a/b"));
    assertThat(address).hasSize(2 + 4 + 1);
    assertThat(java.nio.ByteBuffer.wrap(address, 0, 2).order(java.nio.ByteOrder.nativeOrder())
        .getShort()).isEqualTo((short) 1);
    assertThat(new String(address, 2, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("/a/b");
    assertThat(address[6]).isZero();
  }

  private static ServerSocketChannel listen(Path path) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    return server;
  }
}
