package dev.isolatedmounts.internal.linux;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connected Unix-domain stream socket, made through libc rather than {@code SocketChannel}.
 *
 * <p>A child JVM makes one connection and nothing else with sockets, and the JDK's Unix-domain
 * channel costs a fresh JVM about 25 ms of CPU before it connects: the NIO channel machinery, and
 * a {@code SecureRandom} the JDK seeds for naming sockets it binds itself. JNA is loaded in every
 * child anyway, for the mounts. Reading and writing may happen on different threads.
 */
public final class UnixSocket implements Closeable {

  /** {@code sizeof(((struct sockaddr_un *) 0)->sun_path)} on Linux. */
  private static final int PATH_CAPACITY = 108;

  private final int fd;
  private final InputStream input = new Input();
  private final OutputStream output = new Output();
  private boolean closed;

  private UnixSocket(int fd) {
    this.fd = fd;
  }

  /**
   * Connects to the socket at {@code path}.
   *
   * @throws IOException naming the call and the errno if it fails, or if the path is too long
   *     for a socket address
   */
  public static UnixSocket connect(Path path) throws IOException {
    byte[] address = address(path);
    int fd = Syscalls.unixSocket();
    try {
      Syscalls.connect(fd, address, path.toString());
    } catch (SyscallException e) {
      Syscalls.close(fd);
      throw e;
    }
    return new UnixSocket(fd);
  }

  /** A {@code struct sockaddr_un}: the family as a native short, then the NUL-ended path. */
  static byte[] address(Path path) throws IOException {
    byte[] name = path.toString().getBytes(
        Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")));
    if (name.length >= PATH_CAPACITY || contains(name, (byte) 0)) {
      throw new IOException("Cannot connect to the Unix-domain socket " + path + ": a socket"
          + " path must be shorter than " + PATH_CAPACITY + " bytes and hold no NUL, this one"
          + " has " + name.length + " bytes");
    }
    byte[] address = new byte[2 + name.length + 1];
    boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    address[little ? 0 : 1] = 1; // AF_UNIX
    System.arraycopy(name, 0, address, 2, name.length);
    return address;
  }

  private static boolean contains(byte[] bytes, byte wanted) {
    for (byte b : bytes) {
      if (b == wanted) {
        return true;
      }
    }
    return false;
  }

  public InputStream input() {
    return input;
  }

  public OutputStream output() {
    return output;
  }

  /**
   * Ends the connection both ways, waking a thread blocked reading it (closing alone would not):
   * it reads the end of the stream.
   */
  public void shutdown() throws IOException {
    Syscalls.shutdown(fd);
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      Syscalls.close(fd);
    }
  }

  private final class Input extends InputStream {

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      if (length == 0) {
        return 0;
      }
      byte[] target = offset == 0 ? buffer : new byte[length];
      int read = Syscalls.recv(fd, target, length);
      if (read == 0) {
        return -1;
      }
      if (target != buffer) {
        System.arraycopy(target, 0, buffer, offset, read);
      }
      return read;
    }
  }

  private final class Output extends OutputStream {

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      byte[] rest = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
      int remaining = length;
      while (remaining > 0) {
        int sent = Syscalls.send(fd, rest, remaining);
        remaining -= sent;
        if (remaining > 0) {
          rest = Arrays.copyOfRange(rest, sent, sent + remaining);
        }
      }
    }
  }
}
