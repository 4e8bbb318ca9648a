package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes JVM options to a {@code java @file}: a long class path would pass the kernel's 128 KiB
 * limit for one argument, and the file keeps it out of {@code ps}.
 */
final class ArgFile {

  private ArgFile() {}

  static Path write(Path file, List<String> arguments) throws IOException {
    String content = arguments.stream().map(ArgFile::quote).collect(Collectors.joining("\n"));
    return Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
  }

  /**
   * The launcher's argument-file syntax: double quotes, with backslash escapes inside them; a
   * line break in a quoted argument would end it, so it is escaped too.
   */
  static String quote(String argument) {
    return '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"")
        .replace("\n", "\\n").replace("\r", "\\r") + '"';
  }
}
