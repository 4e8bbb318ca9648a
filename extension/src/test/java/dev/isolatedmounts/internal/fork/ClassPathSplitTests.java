package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ClassPathSplit")
class ClassPathSplitTests {

  @TempDir Path temp;

  @Test
  @DisplayName("puts the jars first, each group in class path order")
  void order() throws IOException {
    Path classes = Files.createDirectories(temp.resolve("classes"));
    Path a = jar("a.jar", "a/A.class");
    Path b = jar("b.jar", "b/B.class");
    ClassPathSplit split = ClassPathSplit.of(List.of(classes.toString(), a.toString(),
        temp.resolve("missing").toString(), b.toString()));

    assertThat(split.jars()).containsExactly(a.toString(), b.toString());
    assertThat(split.jarsThenDirectories()).containsExactly(a.toString(), b.toString(),
        classes.toString(), temp.resolve("missing").toString());
  }

  @Test
  @DisplayName("resolves as before when no name is both in a directory and in a jar")
  void disjoint() throws IOException {
    Path classes = Files.createDirectories(temp.resolve("classes/app"));
    Files.writeString(classes.resolve("App.class"), "x");
    Files.createDirectories(temp.resolve("classes/META-INF"));
    Files.writeString(temp.resolve("classes/META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\n");
    Path jar = jar("lib.jar", "lib/Lib.class", "META-INF/MANIFEST.MF");

    assertThat(ClassPathSplit.of(List.of(temp.resolve("classes").toString(), jar.toString()))
        .whyNot()).isEmpty();
  }

  @Test
  @DisplayName("does not, when a directory shadows a class or resource of a jar")
  void shadowed() throws IOException {
    Files.createDirectories(temp.resolve("classes/lib"));
    Files.writeString(temp.resolve("classes/lib/Lib.class"), "patched");
    Path jar = jar("lib.jar", "lib/Lib.class");

    assertThat(ClassPathSplit.of(List.of(temp.resolve("classes").toString(), jar.toString()))
        .whyNot()).contains("lib/Lib.class is both in a directory and in " + jar);
  }

  private Path jar(String name, String... entries) throws IOException {
    Path jar = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(1);
        zip.closeEntry();
      }
    }
    return jar;
  }
}
