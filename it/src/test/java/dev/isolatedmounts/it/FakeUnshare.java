package dev.isolatedmounts.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Stand-ins for util-linux unshare, for hosts this one is not: too old, refusing, watched. */
final class FakeUnshare {

  private static final Path DIRECTORY = Path.of("target/fake-unshare").toAbsolutePath();

  private FakeUnshare() {}

  /** Records each call in {@code calls} and then runs the real unshare. */
  static Path watching(Path calls) throws IOException {
    return script("watching", "echo \"$@\" >> '" + calls + "'\nexec unshare \"$@\"");
  }

  static Path version(String version) throws IOException {
    return script("version-" + version, "echo 'unshare from util-linux " + version + "'\n"
        + "[ \"$1\" = --version ] && exit 0\nexec unshare \"$@\"");
  }

  /** Says what unshare says where user namespaces or CAP_SYS_ADMIN are refused. */
  static Path refusing() throws IOException {
    return script("refusing", "if [ \"$1\" = --version ]; then"
        + " echo 'unshare from util-linux 2.38.1'; exit 0; fi\n"
        + "echo 'unshare: unshare failed: Operation not permitted' >&2\nexit 1");
  }

  private static Path script(String name, String body) throws IOException {
    Files.createDirectories(DIRECTORY);
    Path script = DIRECTORY.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
