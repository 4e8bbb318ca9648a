package demo.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps values in files under /var/lib/demo-store. */
public final class Store {

  static final Path HOME = Path.of("/var/lib/demo-store");

  private Store() {}

  public static void put(String key, String value) throws IOException {
    Files.writeString(HOME.resolve(key), value);
  }

  public static String get(String key) throws IOException {
    return Files.readString(HOME.resolve(key));
  }
}
