package dev.isolatedmounts.internal.fork;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps the last lines a child wrote to one of its streams, for the message when it dies: its
 * stderr, and its stdout until it connects, where the JVM writes why it could not start (such as
 * "Error occurred during initialization of VM").
 */
final class OutputTail {

  private static final int MAX_LINES = 20;
  private static final int MAX_LINE_CHARS = 400;

  private final String stream;
  private final Deque<String> lines = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();

  OutputTail(String stream) {
    this.stream = stream;
  }

  synchronized void accept(byte[] bytes) {
    for (char c : new String(bytes, StandardCharsets.UTF_8).toCharArray()) {
      if (c == '\n') {
        push();
      } else if (partial.length() < MAX_LINE_CHARS) {
        partial.append(c);
      }
    }
  }

  synchronized boolean isEmpty() {
    return lines.isEmpty() && partial.length() == 0;
  }

  synchronized String render() {
    if (partial.length() > 0) {
      push();
    }
    if (lines.isEmpty()) {
      return "it wrote nothing to " + stream;
    }
    StringBuilder out = new StringBuilder("last lines of its " + stream + ":");
    lines.forEach(line -> out.append("\n    ").append(line));
    return out.toString();
  }

  private void push() {
    lines.addLast(partial.toString());
    partial.setLength(0);
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
    }
  }
}
