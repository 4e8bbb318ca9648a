package dev.isolatedmounts.it;

import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Maven build of a project under target/, as a newcomer would run it. The project resolves
 * the extension by its coordinates, from a private local repository under target/ that holds this
 * build's extension jar and parent POM; everything else comes from a file:// mirror of this
 * build's own local repository. So nothing is installed into a shared repository and no network
 * is needed.
 */
final class NestedMavenBuild {

  static final Path ROOT = Path.of(System.getProperty("it.rootDirectory", ".."))
      .toAbsolutePath().normalize();
  static final String VERSION = System.getProperty("it.projectVersion", "0.1.0-SNAPSHOT");

  private NestedMavenBuild() {}

  record Result(int status, String log) {}

  /**
   * Runs {@code mvn verify} (and {@code arguments}) on {@code pom}, with its local repository and
   * settings in {@code work}.
   */
  static Result verify(Path work, Path pom, String... arguments) throws Exception {
    Path repository = work.resolve("m2");
    seedExtension(repository);
    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, """
        <settings>
          <localRepository>%s</localRepository>
          <mirrors>
            <mirror>
              <id>outer-build</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """.formatted(repository, outerRepository().toUri()));
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-nsu",
        "-Dstyle.color=never", "-s", settings.toString(), "-f", pom.toString()));
    command.addAll(List.of(arguments));
    command.add("verify");
    Path log = work.resolve("maven.log");
    Process maven = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    int status = maven.waitFor();
    return new Result(status, Files.readString(log));
  }

  /** This build's extension and parent POM, where a nested build resolves them by coordinates. */
  private static void seedExtension(Path repository) throws IOException, URISyntaxException {
    Path extension = repository.resolve("dev/isolatedmounts/isolated-mounts/" + VERSION);
    Path parent = repository.resolve("dev/isolatedmounts/isolated-mounts-parent/" + VERSION);
    deleteRecursively(extension);
    deleteRecursively(parent);
    Files.createDirectories(extension);
    Files.createDirectories(parent);
    Files.copy(ROOT.resolve("pom.xml"), parent.resolve("isolated-mounts-parent-" + VERSION + ".pom"));
    Files.copy(ROOT.resolve("extension/pom.xml"),
        extension.resolve("isolated-mounts-" + VERSION + ".pom"));
    Path built = Path.of(IsolatedMounts.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    Path jar = extension.resolve("isolated-mounts-" + VERSION + ".jar");
    if (Files.isDirectory(built)) {
      jarUp(built, jar); // the extension's classes directory, when the jar was not built
    } else {
      Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The local repository of the build running this test, which Surefire is told about. */
  private static Path outerRepository() {
    return Path.of(System.getProperty("it.localRepository",
        System.getProperty("user.home") + "/.m2/repository"));
  }

  private static void jarUp(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(path).toString()));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
  }

  /** Copies a project's sources, not its target directory. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path path : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
