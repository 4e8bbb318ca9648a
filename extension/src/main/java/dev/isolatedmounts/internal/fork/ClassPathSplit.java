package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A class path split into its jars and its directories, and whether putting the jars first
 * changes nothing: so when no class or resource is found both in a directory and in a jar.
 *
 * @param jars the jar entries, in class path order
 * @param directories the other entries (directories, missing entries), in class path order
 */
record ClassPathSplit(List<String> jars, List<String> directories) {

  static ClassPathSplit of(List<String> classPath) {
    List<String> jars = new ArrayList<>();
    List<String> directories = new ArrayList<>();
    for (String entry : classPath) {
      (Files.isRegularFile(Path.of(entry)) ? jars : directories).add(entry);
    }
    return new ClassPathSplit(List.copyOf(jars), List.copyOf(directories));
  }

  List<String> jarsThenDirectories() {
    List<String> ordered = new ArrayList<>(jars);
    ordered.addAll(directories);
    return ordered;
  }

  /** The first directory that holds {@code resource} (a path such as {@code a/B.class}). */
  Optional<String> directoryHolding(String resource) {
    return directories.stream()
        .filter(directory -> Files.isRegularFile(Path.of(directory).resolve(resource)))
        .findFirst();
  }

  /**
   * Why the reordered class path might find a name elsewhere than the original one: the first
   * name found both in a directory and in a jar, or what could not be read; empty when it finds
   * every name where the original one found it.
   */
  Optional<String> whyNot() {
    try {
      Set<String> inDirectories = new HashSet<>();
      for (String directory : directories) {
        Path root = Path.of(directory);
        if (Files.isDirectory(root)) {
          try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                .map(file -> root.relativize(file).toString().replace('\\', '/'))
                .filter(name -> !ignorable(name))
                .forEach(inDirectories::add);
          }
        }
      }
      if (inDirectories.isEmpty()) {
        return Optional.empty();
      }
      for (String jar : jars) {
        try (ZipFile zip = new ZipFile(jar)) {
          Enumeration<? extends ZipEntry> entries = zip.entries();
          while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (!entry.isDirectory() && inDirectories.contains(entry.getName())) {
              return Optional.of(entry.getName() + " is both in a directory and in " + jar);
            }
          }
        }
      }
      return Optional.empty();
    } catch (IOException | UncheckedIOException e) {
      return Optional.of("the class path could not be read: " + e);
    }
  }

  /** Names every jar may carry that class loading never looks up by precedence. */
  private static boolean ignorable(String name) {
    return name.equals("META-INF/MANIFEST.MF") || name.endsWith("module-info.class")
        || name.startsWith("META-INF/maven/") || name.startsWith("META-INF/LICENSE")
        || name.startsWith("META-INF/NOTICE") || name.equals("META-INF/INDEX.LIST")
        || name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");
  }
}
