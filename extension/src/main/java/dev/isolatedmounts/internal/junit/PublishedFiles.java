package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.wire.FileEntryMessage;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Publishes again, for the parent's listeners (an IDE, a build's report), a file or directory the
 * test published in the child. The child's launcher wrote it on the host, usually where the
 * parent's own would have: then it is only announced; elsewhere it is copied there.
 */
final class PublishedFiles {

  private PublishedFiles() {}

  static void republish(ExtensionContext context, FileEntryMessage file) {
    Path published = Path.of(file.path());
    String name = published.getFileName().toString();
    try {
      if (file.directory()) {
        context.publishDirectory(name, into -> copyTree(published, into));
      } else {
        context.publishFile(name, file.mediaType() == null ? MediaType.APPLICATION_OCTET_STREAM
            : MediaType.parse(file.mediaType()), into -> copy(published, into));
      }
    } catch (RuntimeException e) {
      // Not the test's failure: a path under one of its mounts, say, that only the child saw.
      System.err.println("[isolated-mounts] Could not publish again the "
          + (file.directory() ? "directory " : "file ") + published + " that isolated test '"
          + context.getDisplayName() + "' published in its child JVM: " + e
          + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      System.err.flush();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.exists(to) || !Files.isSameFile(from, to)) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.isSameFile(from, to)) {
      return;
    }
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
          throws IOException {
        Files.createDirectories(to.resolve(from.relativize(directory).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()),
            StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
