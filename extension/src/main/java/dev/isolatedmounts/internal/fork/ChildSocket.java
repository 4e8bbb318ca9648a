package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.Frame;
import dev.isolatedmounts.internal.wire.FrameReader;
import dev.isolatedmounts.internal.wire.FrameType;
import dev.isolatedmounts.internal.wire.Hello;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Unix domain socket one child reports over: in a fresh directory only this user can enter
 * (mode 0700), guarded by a random one-time token; connections that do not present it are dropped
 * and counted.
 */
final class ChildSocket implements AutoCloseable {

  /** The start of the name of each child's directory in {@code java.io.tmpdir}. */
  static final String PREFIX = "isolated-mounts-";
  /** sun_path of struct sockaddr_un, whose last byte is the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 108;

  private static final SecureRandom RANDOM = new SecureRandom();
  /** A connection must say hello this fast, so a silent client cannot block the real child. */
  private static final long HELLO_TIMEOUT_MILLIS = 5_000;
  private static final int HELLO_MAX_BYTES = 4096;

  private final Path directory;
  private final UnixDomainSocketAddress address;
  private final ServerSocketChannel server;
  private final String token;
  private final String parentMountNamespace;
  private final AtomicInteger rejected = new AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicBoolean ORPHANS_REMOVED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ChildSocket(Path directory, ServerSocketChannel server, String parentMountNamespace) {
    this.directory = directory;
    this.address = UnixDomainSocketAddress.of(directory.resolve("s"));
    this.server = server;
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    this.parentMountNamespace = parentMountNamespace;
  }

  static ChildSocket open() throws IOException {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    if (ORPHANS_REMOVED.compareAndSet(false, true)) {
      removeOrphans(temp);
    }
    return open(temp);
  }

  /** In {@code temp}, rather than {@code java.io.tmpdir}: tests give a long one. */
  static ChildSocket open(Path temp) throws IOException {
    // Named after this JVM, so a directory left behind says whose it was.
    Path directory = Files.createTempDirectory(temp, PREFIX + ProcessHandle.current().pid() + "-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ServerSocketChannel server = null;
    try {
      Path socket = directory.resolve("s");
      if (socket.toString().getBytes(StandardCharsets.UTF_8).length
          >= MAX_SOCKET_PATH) {
        throw new IOException("the path of its socket, " + socket + ", is longer than a Unix"
            + " socket's path may be (" + (MAX_SOCKET_PATH - 1) + " bytes): it is made in"
            + " java.io.tmpdir, " + temp + "; give the test run's JVM a shorter one"
            + " (-Djava.io.tmpdir=/tmp/build-1, say)");
      }
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      // Where the child builds a new root if a target's only existing ancestor is "/".
      Files.createDirectory(directory.resolve("root"));
      // Where the child mounts the tmpfs holding its overlays' upper layers.
      Files.createDirectory(directory.resolve("overlay"));
      // Where the child mounts a private java.io.tmpdir under a read-only root.
      Files.createDirectory(directory.resolve("tmp"));
      // Where the child binds the host directory a failed test's mounts are kept in.
      Files.createDirectory(directory.resolve("keep"));
      String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
      return new ChildSocket(directory, server, namespace);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        try {
          server.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      deleteTree(directory);
      throw e;
    }
  }

  /**
   * Removes the directories of JVMs that were killed before they could remove them: a
   * {@code isolated-mounts-<pid>-*} whose JVM no longer runs. Once per JVM, at its first child.
   * (A temp directory shared with builds in other PID namespaces, whose JVMs this one cannot see,
   * needs a {@code java.io.tmpdir} of its own per build.)
   */
  static void removeOrphans(Path temp) {
    try (java.nio.file.DirectoryStream<Path> directories =
        Files.newDirectoryStream(temp, PREFIX + "[0-9]*-*")) {
      for (Path directory : directories) {
        String name = directory.getFileName().toString();
        String pid = name.substring(PREFIX.length(), name.indexOf('-', PREFIX.length()));
        if (ProcessHandle.of(Long.parseLong(pid)).isEmpty() && Files.isWritable(directory)) {
          deleteTree(directory);
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's, or gone already: left for its own user or the system to remove
    }
  }

  Path directory() {
    return directory;
  }

  Path address() {
    return address.getPath();
  }

  String token() {
    return token;
  }

  String parentMountNamespace() {
    return parentMountNamespace;
  }

  int rejectedConnections() {
    return rejected.get();
  }

  /**
   * Accepts connections until one proves to be the child; returns null if the child exits or the
   * timeout passes first.
   */
  SocketChannel accept(Process child, Duration timeout, Predicate<Hello> authentic)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    server.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      server.register(selector, SelectionKey.OP_ACCEPT);
      while (System.nanoTime() < deadline) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        selector.select(50);
        selector.selectedKeys().clear();
        SocketChannel candidate = server.accept();
        if (candidate != null) {
          if (authenticate(candidate, authentic)) {
            // The child is in: nobody, not even the child, may connect again.
            server.close();
            return candidate;
          }
          rejected.incrementAndGet();
          candidate.close();
        } else if (!child.isAlive()) {
          return null;
        }
      }
      return null;
    }
  }

  /**
   * Reads the candidate's hello on a thread of its own, not the common ForkJoinPool's, which a
   * test may hold: a child would then wait in vain to be let in.
   */
  private static boolean authenticate(SocketChannel candidate, Predicate<Hello> authentic) {
    FutureTask<Boolean> verdict = new FutureTask<>(() -> {
      try {
        candidate.configureBlocking(true);
        Frame frame = new FrameReader(Channels.newInputStream(candidate), HELLO_MAX_BYTES).read();
        return frame.type() == FrameType.HELLO && authentic.test(Hello.decode(frame.payload()));
      } catch (IOException | RuntimeException e) {
        return false;
      }
    });
    Thread reader = new Thread(verdict, "isolated-mounts-hello");
    reader.setDaemon(true);
    reader.start();
    try {
      return verdict.get(HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // the directory goes next; a socket that will not close has nothing left to lose
    }
    deleteTree(directory);
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // reported below if the directory itself survives
        }
      });
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // already gone, or going: another thread closes the same child as the JVM exits
    }
  }
}
