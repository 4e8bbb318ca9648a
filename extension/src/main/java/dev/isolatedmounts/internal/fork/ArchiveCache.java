package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of the archive cache directory: what an archive is named by, its lock and failure
 * report beside it, its publication, and the removal of archives no run can use any more.
 */
final class ArchiveCache {

  /** How long an archive no run used is kept (see {@link #removeUnused}). */
  static final Duration UNUSED = Duration.ofDays(30);

  private ArchiveCache() {}

  /** The pid of the JVM that trains into "child-KEY.SUFFIX.PID.tmp", or what the JDK adds to it. */
  static long trainerPid(String partialName) {
    String[] parts = partialName.split("\\.");
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].equals("tmp")) {
        return Long.parseLong(parts[i - 1]);
      }
    }
    throw new IllegalArgumentException("not a partial archive: " + partialName);
  }

  /**
   * Partial archives of trainings whose JVM was killed, "child-KEY.jsa.PID.tmp", what the
   * JDK and the training write beside them ("child-KEY.aot.PID.tmp.config", ".classes"), and
   * partial lists of classes (see {@link AtomicFile}).
   */
  static void removeOrphans(Path directory) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (var files = Files.newDirectoryStream(directory, "child-*.tmp*")) {
      for (Path partial : files) {
        try {
          long trainer = trainerPid(partial.getFileName().toString());
          if (ProcessHandle.of(trainer).isEmpty()) {
            Files.deleteIfExists(partial);
          }
        } catch (IOException | RuntimeException e) {
          // this one is left; the others go on
        }
      }
    } catch (IOException | RuntimeException e) {
      // left for a later run to remove
    }
  }

  /**
   * "child-SHAPE-CONTENT.SUFFIX". SHAPE digests what stays while a project is worked on: the JDK's
   * home, the JVM options and the jars' paths. CONTENT digests what a rebuild or an update
   * changes: the JDK's version and the jars' sizes and times. An archive whose SHAPE is that of a
   * newer one can never be used again, since the files at its paths have changed.
   *
   * <p>The application's system properties are left out: they do not change which archive a JVM
   * can use (the JVM checks it against its class path and its own options), and a test's
   * {@code -Dx=1} and another's {@code -Dx=2}, or an {@code argLine} with a build time in it,
   * each trained an archive of their own. Those of the JDK ({@code java.*}, {@code jdk.*},
   * {@code sun.*}, {@code com.sun.*}, {@code javax.*}: the system class loader, the module graph,
   * which {@code -Dcom.sun.management.jmxremote} adds to and JDK 25's cache must match) stay in.
   * So do agents, but not their arguments: an IDE's agent is given a new port in every run.
   */
  static String archiveName(List<String> jars, List<String> options, String suffix) {
    return archiveName(Path.of(System.getProperty("java.home")), jars, options, suffix);
  }

  /**
   * As above, for the JDK in {@code javaHome}. Its JVM library's size and time are part of the
   * content: a JDK rebuilt or reinstalled at the same path with the same version refuses an
   * archive of the old one (the archive records the JVM's build), silently.
   */
  static String archiveName(Path javaHome, List<String> jars, List<String> options,
      String suffix) {
    List<String> shape = new ArrayList<>();
    shape.add(javaHome.toString());
    for (String option : options) {
      if (option.startsWith("-javaagent:") || option.startsWith("-agentpath:")
          || option.startsWith("-agentlib:")) {
        shape.add(option.split("=", 2)[0]);
      } else if (JvmOption.property(option).filter(ArchiveCache::isApplication).isEmpty()) {
        shape.add(option);
      }
    }
    for (String jar : jars) {
      shape.add(Path.of(jar).toAbsolutePath().normalize().toString());
    }
    List<String> content = new ArrayList<>();
    content.add(System.getProperty("java.vm.version"));
    content.add(stamp(javaHome.resolve("lib/server/libjvm.so")));
    for (String jar : jars) {
      content.add(stamp(Path.of(jar)));
    }
    return "child-" + digest(shape) + "-" + digest(content) + suffix;
  }

  private static String stamp(Path file) {
    try {
      return Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "unreadable"; // the JVM skips such a class path entry too
    }
  }

  /** Whether the system property {@code name} is the application's, not one the JVM may read. */
  private static boolean isApplication(String name) {
    return Stream.of("java.", "jdk.", "sun.", "com.sun.", "javax.").noneMatch(name::startsWith);
  }

  private static String digest(List<String> parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update((part + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** "child-SHAPE" of an archive's name (see {@link #archiveName}). */
  private static String shape(String archiveName) {
    return archiveName.substring(0, archiveName.lastIndexOf('-'));
  }

  /** ".jsa" or ".aot" of an archive's name. */
  private static String suffix(String archiveName) {
    return archiveName.substring(archiveName.lastIndexOf('.'));
  }

  /**
   * Where the size and CRC-32 of the archive {@code file} are kept when it is published:
   * "child-SHAPE-CONTENT.SUFFIX.sum".
   */
  static Path checksum(Path file) {
    return file.resolveSibling(file.getFileName() + ".sum");
  }

  /**
   * Whether the archive {@code file} is whole, as it was published: a JDK 17 started with a
   * truncated archive (a cache restored in part, a disk that filled) crashes in its first
   * instructions, with every child, until the file is removed. Not whole either: an archive
   * published without its sum, by an earlier version.
   */
  static boolean intact(Path file) {
    try {
      return Files.readString(checksum(file), StandardCharsets.US_ASCII).trim()
          .equals(sum(file));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** "SIZE CRC32" of {@code file}. */
  static String sum(Path file) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    long size = 0;
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
      for (int n; (n = channel.read(buffer)) > 0; ) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
        size += n;
      }
    }
    return size + " " + Long.toHexString(crc.getValue());
  }

  /** The file whose lock a JVM holds while it trains the archive {@code file}. */
  static Path lockFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  /** Where why the archive {@code file} could not be made is written: child-SHAPE.failed.txt. */
  static Path failureReport(Path file) {
    String name = file.getFileName().toString();
    return file.resolveSibling(shape(name) + ".failed.txt");
  }

  /**
   * The names of the classes the archive {@code file} was trained to hold beyond the training
   * test (see {@link LoadedClasses}): "child-SHAPE-CONTENT.SUFFIX.classes".
   */
  static Path trainedClasses(Path file) {
    return file.resolveSibling(file.getFileName() + ".classes");
  }

  /**
   * The names the newest other archive of {@code file}'s SHAPE was trained with: that of the
   * jars before their rebuild, or of the JDK before its update, which {@code file} supersedes.
   */
  static TrainedClasses previousTrainedClasses(Path file) {
    String name = file.getFileName().toString();
    Path newest = null;
    try (var files = Files.newDirectoryStream(file.getParent(),
        shape(name) + "-*" + suffix(name) + ".classes")) {
      for (Path other : files) {
        if (!other.equals(trainedClasses(file)) && (newest == null || Files.getLastModifiedTime(
            other).compareTo(Files.getLastModifiedTime(newest)) > 0)) {
          newest = other;
        }
      }
    } catch (IOException | RuntimeException e) {
      return TrainedClasses.NONE; // trained without them
    }
    return newest == null ? TrainedClasses.NONE : TrainedClasses.read(newest).forSuccessor();
  }

  /**
   * Moves a trained archive into place with what it was trained with, then removes the archives
   * it supersedes, but only while the jars are still those it was trained for: a training that a
   * rebuild overtook must not remove the archive a later run made for the rebuilt jars.
   */
  static void publish(Path partial, Path file, List<String> jars, List<String> options,
      TrainedClasses trained) throws IOException {
    // The sum first: a JVM that reads it before the archive it belongs to takes the archive in
    // place for broken, and trains it again under the lock, where it finds this one whole.
    AtomicFile.write(checksum(file), (sum(partial) + "\n").getBytes(StandardCharsets.US_ASCII));
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try {
      trained.keep(trainedClasses(file));
    } catch (IOException | RuntimeException e) {
      // The archive is in place, and good: only what it holds beyond the training test is not
      // told, and the list of the archive it replaced must not stand for it.
      try {
        Files.deleteIfExists(trainedClasses(file));
      } catch (IOException ignored) {
        // a later training writes it again
      }
    }
    String name = file.getFileName().toString();
    if (archiveName(jars, options, suffix(name)).equals(name)) {
      removeSuperseded(file);
    }
    removeUnused(file.getParent(), Instant.now());
  }

  /**
   * Removes the archives of other shapes (another JDK's path, other JVM options, another class
   * path) that no run has used for {@link #UNUSED} (each run marks those it uses, see
   * {@code ClassDataSharing.Archive#prepare}), with their lock files and failure reports, and
   * JNA's unpacked libraries no run has used for as long. A cache kept between CI runs gained an
   * archive of 7-70 MB at every JDK update (a new path) and kept it for good.
   */
  static void removeUnused(Path directory, Instant now) {
    Instant unusedSince = now.minus(UNUSED);
    try (var files = Files.newDirectoryStream(directory,
        "child-*{.jsa,.aot,.lock,.classes,.sum,.failed.txt}")) {
      for (Path file : files) {
        if (Files.getLastModifiedTime(file).toInstant().isBefore(unusedSince)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException | RuntimeException e) {
      // left for the next archive published to remove
    }
    // JNA's unpacked libraries, one per JNA version a run used (JnaNativeLibrary marks them).
    try (var libraries = Files.newDirectoryStream(directory, "jna-*")) {
      for (Path library : libraries) {
        try {
          if (Files.isDirectory(library, LinkOption.NOFOLLOW_LINKS)
              && Files.getLastModifiedTime(library).toInstant().isBefore(unusedSince)) {
            try (var inside = Files.newDirectoryStream(library)) {
              for (Path file : inside) {
                Files.deleteIfExists(file);
              }
            }
            Files.deleteIfExists(library);
          }
        } catch (IOException | RuntimeException e) {
          // this one is left for the next archive published to remove; the others go on
        }
      }
    } catch (IOException | RuntimeException e) {
      // left for the next archive published to remove
    }
  }

  /**
   * Removes the archives that {@code published} supersedes: those of the same SHAPE (see {@link
   * #archiveName}). Without this, every rebuild of a jar on the test class path (a module of the
   * same build, a SNAPSHOT) left an archive of 7-25 MB behind. A JVM that used one that goes
   * starts its next children without it (see {@link ClassDataSharing#layout}); their jars had
   * changed anyway.
   */
  static void removeSuperseded(Path published) {
    String name = published.getFileName().toString();
    String sameShape = shape(name) + "-*" + suffix(name) + "{,.lock,.classes,.sum}";
    try (var files = Files.newDirectoryStream(published.getParent(), sameShape)) {
      for (Path file : files) {
        String other = file.getFileName().toString();
        if (!other.equals(name) && !other.equals(name + ".lock")
            && !other.equals(name + ".classes") && !other.equals(name + ".sum")) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException | RuntimeException e) {
      // left for the next archive published to remove
    }
  }
}
