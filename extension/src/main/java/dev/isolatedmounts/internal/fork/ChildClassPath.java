package dev.isolatedmounts.internal.fork;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path the child needs to find the test, its dependencies and this extension.
 *
 * <p>{@code java.class.path} is not always it: Surefire (and IDEs that shorten command lines) put
 * one manifest-only jar there whose {@code Class-Path} attribute names the real entries, and a
 * runner may load tests through a class loader of its own. So the manifest is expanded and the URLs
 * of the test's class loader chain are added.
 */
public final class ChildClassPath {

  private ChildClassPath() {}

  public static List<String> of(String javaClassPath, ClassLoader testClassLoader) {
    Set<String> entries = new LinkedHashSet<>();
    Set<String> pathingJars = new LinkedHashSet<>();
    // -1: a trailing empty element counts, as the JVM counts it: the working directory.
    String[] elements = javaClassPath.isEmpty() ? new String[0]
        : javaClassPath.split(File.pathSeparator, -1);
    for (String entry : elements) {
      add(entries, pathingJars, Path.of(entry).toAbsolutePath().normalize());
    }
    List<URL> loaderUrls = new ArrayList<>();
    for (ClassLoader loader = testClassLoader; loader != null; loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urlLoader) {
        loaderUrls.addAll(0, List.of(urlLoader.getURLs()));
      }
    }
    for (URL url : loaderUrls) {
      toPath(url).ifPresent(path -> add(entries, pathingJars, path));
    }
    // A jar that holds only a manifest naming the others (Surefire's booter, an IDE's or a
    // launcher's pathing jar, often named anew in each run) gives the child nothing once
    // expanded, and would make the child's class-data-sharing archive differ with its name.
    entries.removeAll(pathingJars);
    return List.copyOf(entries);
  }

  private static void add(Set<String> entries, Set<String> pathingJars, Path entry) {
    if (!entries.add(entry.toString()) || !entry.toString().endsWith(".jar")
        || !Files.isRegularFile(entry)) {
      return;
    }
    Manifested manifested = manifestClassPath(entry);
    if (manifested.pathingJar()) {
      pathingJars.add(entry.toString());
    }
    for (Path referenced : manifested.classPath()) {
      add(entries, pathingJars, referenced);
    }
  }

  /** What a jar's manifest names, and whether the jar holds nothing else. */
  private record Manifested(List<Path> classPath, boolean pathingJar) {}

  private static Manifested manifestClassPath(Path jar) {
    String classPath;
    boolean manifestOnly;
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      classPath = manifest == null ? null
          : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      manifestOnly = file.stream().allMatch(entry -> entry.getName().startsWith("META-INF/")
          && (entry.isDirectory() || entry.getName().equals(JarFile.MANIFEST_NAME)));
    } catch (IOException | RuntimeException e) {
      // not a readable jar: the JVM would not read its manifest either
      return new Manifested(List.of(), false);
    }
    if (classPath == null || classPath.isBlank()) {
      return new Manifested(List.of(), false);
    }
    List<Path> paths = new ArrayList<>();
    for (String reference : classPath.trim().split("\\s+")) {
      resolve(jar.toUri(), reference).ifPresent(paths::add);
    }
    return new Manifested(paths, manifestOnly && !paths.isEmpty());
  }

  /** Manifest references are relative URLs, usually escaped (Surefire) but not always. */
  private static Optional<Path> resolve(URI base, String reference) {
    try {
      return toPath(base.resolve(new URI(reference)));
    } catch (URISyntaxException escapedWrongly) {
      try {
        return toPath(base.resolve(new URI(null, null, reference, null)));
      } catch (URISyntaxException unusable) {
        return Optional.empty();
      }
    }
  }

  private static Optional<Path> toPath(URL url) {
    try {
      return toPath(url.toURI());
    } catch (URISyntaxException e) {
      // File.toURL() escapes nothing: "file:/tmp/my dir/" is no URI, but its path is the file's.
      return "file".equals(url.getProtocol()) && url.getPath().startsWith("/")
          ? Optional.of(Path.of(url.getPath()).toAbsolutePath().normalize()) : Optional.empty();
    }
  }

  private static Optional<Path> toPath(URI uri) {
    try {
      return "file".equals(uri.getScheme())
          ? Optional.of(Path.of(uri).toAbsolutePath().normalize())
          : Optional.empty();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return Optional.empty();
    }
  }
}
