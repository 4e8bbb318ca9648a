package dev.isolatedmounts;

/**
 * The mount propagation of {@code /} inside the child's mount namespace, set before any declared
 * mount is made.
 *
 * <p>Propagation decides whether mount and unmount events cross between the host's namespace and
 * the test's. Whatever the value, the mounts an isolated test declares never appear on the host.
 *
 * @see IsolatedMounts#propagation()
 */
public enum Propagation {

  /**
   * No events cross in either direction: a mount made on the host during the test does not appear
   * inside, and nothing mounted inside appears on the host. The default, and the right choice for
   * almost every test.
   */
  PRIVATE,

  /**
   * Events flow from the host into the test, never back: a mount the host makes during the test
   * appears inside; the test's own mounts stay inside.
   */
  SLAVE,

  /**
   * The child's tree forms a new peer group of its own: mounts made inside propagate to any further
   * mount namespace or bind the test itself creates, never to the host.
   */
  SHARED,

  /**
   * Like {@link #PRIVATE}, and after the declared mounts are made the whole tree is marked
   * unbindable: an attempt by the test to bind-mount any part of it fails with {@code EINVAL}.
   */
  UNBINDABLE
}
