package dev.isolatedmounts;

/**
 * Thrown instead of ending the JVM when code under test calls {@code System.exit} or
 * {@code Runtime.exit} in a test declared with
 * {@link IsolatedMounts#trapExit() @IsolatedMounts(trapExit = true)}.
 *
 * <pre>{@code
 * @Test
 * @IsolatedMounts(trapExit = true)
 * void exitsWithUsageError() {
 *   assertThatThrownBy(() -> Main.main(new String[] {"--bogus"}))
 *       .isInstanceOfSatisfying(SystemExitException.class,
 *           e -> assertThat(e.status()).isEqualTo(2));
 * }
 * }</pre>
 *
 * <p>It is an {@link Error}, so a {@code catch (Exception e)} in the code under test does not
 * swallow it and carry on past the exit. A test that lets it escape fails with it, naming the
 * status, rather than killing its child JVM. {@code Runtime.halt} is not trapped.
 */
public final class SystemExitException extends Error {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the status passed to {@code System.exit}
   */
  public SystemExitException(int status) {
    super("System.exit(" + status + ") was called; @IsolatedMounts(trapExit = true) turned it"
        + " into this exception instead of ending the JVM");
    this.status = status;
  }

  /**
   * The status the code under test passed to {@code System.exit} or {@code Runtime.exit}.
   *
   * @return the exit status
   */
  public int status() {
    return status;
  }
}
