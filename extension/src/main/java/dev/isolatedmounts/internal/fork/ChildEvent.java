package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.wire.Frame;
import java.io.IOException;

/** What a child's threads tell the thread waiting for it, one at a time, in order. */
sealed interface ChildEvent {

  /** A chunk of the child's stdout or stderr, to replay into the test's output. */
  record Output(boolean stderr, byte[] bytes) implements ChildEvent {}

  /** One of its two output streams ended. */
  record StreamEnded() implements ChildEvent {}

  /** The process this JVM started for it exited. */
  record Exited() implements ChildEvent {}

  /** A frame it sent over its socket. */
  record Received(Frame frame) implements ChildEvent {}

  /** Its socket ended: at its end ({@code error} null) or broken. */
  record SocketEnded(IOException error) implements ChildEvent {}
}
