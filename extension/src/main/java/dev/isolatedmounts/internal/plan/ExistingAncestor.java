package dev.isolatedmounts.internal.plan;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an absent mount target is made: in its nearest existing ancestor. The parent asks it to
 * check a target and to write the reproduce command, the child to make the target.
 */
public final class ExistingAncestor {

  private ExistingAncestor() {}

  /** The nearest ancestor of an absolute {@code path} that exists (links followed): at worst /. */
  public static Path of(Path path) {
    Path ancestor = path.getParent();
    while (!Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    return ancestor;
  }
}
