package dev.isolatedmounts.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.Extension;

/**
 * An extension that JUnit finds through the service loader, where automatic registration is
 * enabled: it notes, each time it is made, whether the test's mount was already there.
 */
public class MountWitness implements Extension {

  static final String TARGET = "/var/lib/isolated-mounts-witness";

  /** For each instance made in this JVM: whether {@link #TARGET} was mounted. */
  static final List<Boolean> MADE = new CopyOnWriteArrayList<>();

  public MountWitness() {
    MADE.add(mounted());
  }

  private static boolean mounted() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .anyMatch(line -> line.split(" ")[4].equals(TARGET));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
