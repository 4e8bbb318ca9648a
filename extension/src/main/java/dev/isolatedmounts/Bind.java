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
 * Bind-mounts a host file or directory at an absolute path inside the test's own mount namespace.
 *
 * <p>A read-only bind really is read-only: writing through it fails with "Read-only file
 * system". A read-write bind writes through to the source on the host, by design. The bind is
 * recursive: mounts below the source come along. A target that does not exist on the host is
 * created inside the namespace only.
 *
 * <pre>{@code
 * @IsolatedMounts
 * @Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
 * class ConfigTest { ... }
 * }</pre>
 *
 * <p>On a test class (or an enclosing class of a {@code @Nested} class) it applies to every test
 * in it; on a test method it adds to the class's mounts. Declaring it makes the test isolated,
 * with or without {@link IsolatedMounts @IsolatedMounts}. On a lifecycle method
 * ({@code @BeforeEach} and the like) it is refused, where the extension runs for the class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Bind.List.class)
@ExtendWith(IsolatedMountsExtension.class)
public @interface Bind {

  /**
   * The host file or directory to bind: absolute, or relative to the working directory of the
   * test run (for Maven, the module's directory). It must exist.
   *
   * @return the source path
   */
  String source();

  /**
   * The absolute path at which the source appears inside the namespace.
   *
   * @return the mount target
   */
  String target();

  /**
   * Whether the bind is read-only inside the namespace.
   *
   * @return {@code true} for a read-only bind; {@code false} (the default) writes through
   */
  boolean readOnly() default false;

  /** Holds repeated {@link Bind @Bind} declarations. */
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
    Bind[] value();
  }
}
