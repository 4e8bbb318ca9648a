package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.linux.Syscalls;
import java.util.Optional;

/**
 * The namespaces of this host, for tests that start real children in them. A host that has none
 * fails those tests with the probe's own message (what was tried, how to enable it), not a
 * {@code ClassCastException}.
 */
final class HostNamespaces {

  private HostNamespaces() {}

  static NamespaceProbe.Supported supported() {
    NamespaceProbe.Outcome outcome = NamespaceProbe.probe(Optional.empty(),
        Syscalls.geteuid() == 0);
    if (outcome instanceof NamespaceProbe.Supported supported) {
      return supported;
    }
    throw new AssertionError("This test starts real child JVMs in new namespaces, which this"
        + " host cannot make:\n" + ((NamespaceProbe.Unsupported) outcome).message());
  }
}
