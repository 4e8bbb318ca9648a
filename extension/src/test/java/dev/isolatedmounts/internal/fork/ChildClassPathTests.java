package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ChildClassPath")
class ChildClassPathTests {

  @TempDir Path temp;

  @Test
  @DisplayName("expands a manifest-only jar like Surefire's booter, with escaped and relative URLs")
  void manifestOnlyJar() throws IOException {
    Path classes = Files.createDirectories(temp.resolve("test classes"));
    Path dependency = Files.createFile(
        Files.createDirectories(temp.resolve("lib")).resolve("dep.jar"));
    Path booter = jar(temp.resolve("surefirebooter.jar"),
        classes.toUri() + " lib/dep.jar " + temp.resolve("missing.jar").toUri());

    assertThat(ChildClassPath.of(booter.toString(), null)).as("the booter itself left out")
        .containsExactly(classes.toString(), dependency.toString(),
            temp.resolve("missing.jar").toString());
  }

  @Test
  @DisplayName("keeps a jar whose manifest names others but that has classes of its own")
  void jarWithClassesAndClassPath() throws IOException {
    Path dependency = Files.createFile(temp.resolve("dep.jar"));
    Path application = jar(temp.resolve("app.jar"), "dep.jar");
    try (var zip = java.nio.file.FileSystems.newFileSystem(application)) {
      Files.writeString(zip.getPath("App.class"), "classes");
    }

    assertThat(ChildClassPath.of(application.toString(), null))
        .containsExactly(application.toString(), dependency.toString());
  }

  @Test
  @DisplayName("reads an empty element as the working directory, as the JVM does")
  void emptyElement() {
    assertThat(ChildClassPath.of("a.jar" + java.io.File.pathSeparator, null)).containsExactly(
        Path.of("a.jar").toAbsolutePath().toString(), Path.of("").toAbsolutePath().toString());
  }

  @Test
  @DisplayName("takes a loader's unescaped file URL (File.toURL()) for the file it names")
  @SuppressWarnings("deprecation")
  void unescapedUrl() throws IOException {
    Path extra = Files.createDirectories(temp.resolve("with space"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {extra.toFile().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      assertThat(ChildClassPath.of("", loader)).containsExactly(extra.toString());
    }
  }

  @Test
  @DisplayName("keeps a plain class path as it is, absolute and without duplicates")
  void plain() {
    String classPath = "a.jar" + java.io.File.pathSeparator + "b" + java.io.File.pathSeparator
        + "a.jar";

    assertThat(ChildClassPath.of(classPath, null)).containsExactly(
        Path.of("a.jar").toAbsolutePath().toString(), Path.of("b").toAbsolutePath().toString());
  }

  @Test
  @DisplayName("adds the URLs of a runner's own class loader")
  void classLoaderUrls() throws IOException {
    Path extra = Files.createDirectories(temp.resolve("extra"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {extra.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      assertThat(ChildClassPath.of("", loader)).containsExactly(extra.toString());
    }
  }

  private static Path jar(Path file, String classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    return file;
  }
}
