package dev.isolatedmounts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mounts a copy-on-write view of a host directory over itself, inside the test's own mount
 * namespace: the test reads the host's files and may change, create and delete them, but every
 * change lands in an overlay upper layer on a tmpfs private to the child, and vanishes with it.
 * The host directory is never changed.
 *
 * <pre>{@code
 * @Test
 * @Overlay("/etc")
 * void rewritesItsConfig() throws IOException {
 *   Files.writeString(Path.of("/etc/hosts"), "127.0.0.1 db\n");   // the host's /etc/hosts stays
 * }
 * }</pre>
 *
 * <p>The directory must exist on the host. Mounts below it on the host (submounts) are not part of
 * the view: an overlay shows the lower file system only. Unprivileged (in a user namespace) this
 * needs Linux 5.11 or newer, and the kernel cannot copy up a file or directory whose owner is not
 * mapped in the namespace (root's files, for instance): changing one, or creating a file in such a
 * directory, fails with "Value too large for defined data type" (EOVERFLOW), and the test's
 * failure says so. Run as root, or copy a fixture into a {@link Tmpfs @Tmpfs} instead.
 *
 * <p>On a test class (or an enclosing class of a {@code @Nested} class) it applies to every test
 * in it; on a test method it adds to the class's mounts. Declaring it makes the test isolated.
 * On a lifecycle method ({@code @BeforeEach} and the like) it is refused, where the extension runs
 * for the class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Overlay.List.class)
@ExtendWith(IsolatedMountsExtension.class)
public @interface Overlay {

  /**
   * The absolute path of the host directory to overlay, for example {@code "/etc"}.
   *
   * @return the directory, which is also the mount target
   */
  String value();

  /** Holds repeated {@link Overlay @Overlay} declarations. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(IsolatedMountsExtension.class)
  @interface List {

    /**
     * The repeated declarations.
     *
     * @return the declarations
     */
    Overlay[] value();
  }
}
