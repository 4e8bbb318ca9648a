package dev.isolatedmounts.internal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of a mount table as {@code /proc/<pid>/mountinfo} shows it. Two snapshots are equal
 * when they list the same mounts, with the same ids and options, in the same order, so comparing
 * the host's table before and after a test run shows whether anything leaked.
 */
public final class MountTable {

  private static final Path SELF = Path.of("/proc/self/mountinfo");

  private final List<MountEntry> entries;
  private volatile Tree tree;

  private MountTable(List<MountEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses the text of a mountinfo file.
   *
   * @throws IllegalArgumentException naming the first line that is not a mountinfo line
   */
  public static MountTable parse(String text) {
    if (text.isEmpty()) {
      return new MountTable(List.of());
    }
    List<MountEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n"); // without the empty string after the final newline
    for (int i = 0; i < lines.length; i++) {
      entries.add(MountInfoParser.parseLine(lines[i], i + 1));
    }
    return new MountTable(entries);
  }

  /** Reads the mount table of the calling process's mount namespace. */
  public static MountTable readSelf() throws IOException {
    // procfs reports size 0; readAllBytes reads to EOF. Paths need not be valid UTF-8, so malformed
    // bytes are replaced rather than failing the whole read as Files.readString would.
    return parse(new String(Files.readAllBytes(SELF), StandardCharsets.UTF_8));
  }

  /** All entries, in file order. */
  public List<MountEntry> entries() {
    return entries;
  }

  /** The entries whose mount point is exactly {@code mountPoint}, in file order. */
  public List<MountEntry> at(String mountPoint) {
    String point = trimTrailingSlashes(mountPoint);
    return entries.stream().filter(e -> e.mountPoint().equals(point)).toList();
  }

  /**
   * The mount that is visible at {@code mountPoint}: of the mounts stacked there, the one no other
   * is mounted on. When that does not decide (mounts hidden under an over-mounted parent), the
   * last in file order.
   */
  public Optional<MountEntry> topmostAt(String mountPoint) {
    return Optional.ofNullable(tree().topmost.get(trimTrailingSlashes(mountPoint)));
  }

  /**
   * Whether path lookup reaches {@code entry} at its mount point: it is the topmost there (see
   * {@link #topmostAt}), and its parent is reached without passing another mount first. A mount
   * below a directory that a later mount covers (those under {@code /etc} after a bind onto
   * {@code /etc}) is hidden, although nothing is mounted at its own mount point.
   */
  public boolean visible(MountEntry entry) {
    return tree().visible.contains(entry);
  }

  /**
   * The mount a path is on: of the visible mounts at the path or above it, the deepest. The path
   * must be absolute and free of symbolic links ({@code toRealPath}).
   */
  public Optional<MountEntry> mountOf(String path) {
    for (String point = trimTrailingSlashes(path); point != null; point = parentOf(point)) {
      MountEntry topmost = tree().topmost.get(point);
      if (topmost != null && visible(topmost)) {
        return Optional.of(topmost);
      }
    }
    return Optional.empty();
  }

  /** Built once per table (it does not change), when first asked: what is stacked and reached. */
  private Tree tree() {
    Tree built = tree;
    if (built == null) {
      built = new Tree(entries);
      tree = built; // a race builds an equal one twice at most
    }
    return built;
  }

  /**
   * The table's mounts as path lookup sees them, worked out once: a child JVM asks for every
   * mount of a table that can hold hundreds (a covered {@code /etc}), at start-up.
   */
  private static final class Tree {

    private final Map<Integer, MountEntry> byId = new HashMap<>();
    /** "parent id + space + mount point" of each mount. */
    private final Set<String> onParent = new HashSet<>();
    private final Map<String, MountEntry> topmost = new HashMap<>();
    private final Map<MountEntry, Boolean> reached = new IdentityHashMap<>();
    private final Set<MountEntry> visible = Collections.newSetFromMap(new IdentityHashMap<>());

    Tree(List<MountEntry> entries) {
      Map<String, List<MountEntry>> stacks = new HashMap<>();
      for (MountEntry entry : entries) {
        byId.putIfAbsent(entry.mountId(), entry);
        onParent.add(entry.parentId() + " " + entry.mountPoint());
        stacks.computeIfAbsent(entry.mountPoint(), point -> new ArrayList<>()).add(entry);
      }
      // Stacking is told by parent ids, not by file order alone: since Linux 6.8 mountinfo is
      // ordered by mount id, and a mount made with MOVE_MOUNT_BENEATH is newer than the one above.
      stacks.forEach((point, stacked) -> {
        for (MountEntry candidate : stacked) {
          if (stacked.stream().noneMatch(e -> e.parentId() == candidate.mountId())) {
            topmost.put(point, candidate);
          }
        }
      });
      for (MountEntry entry : entries) {
        if (topmost.get(entry.mountPoint()) == entry && reached(entry, entries.size())) {
          visible.add(entry);
        }
      }
    }

    /** Whether lookup arrives at {@code entry}'s root; {@code depth} guards against a cycle. */
    private boolean reached(MountEntry entry, int depth) {
      Boolean known = reached.get(entry);
      if (known == null) {
        known = lookUp(entry, depth);
        reached.put(entry, known);
      }
      return known;
    }

    private boolean lookUp(MountEntry entry, int depth) {
      MountEntry parent = byId.get(entry.parentId());
      if (parent == null || parent == entry) {
        // The root of this table, or (in a chroot) a mount whose parent is outside it: hidden
        // only by a later mount on the same parent over one of its ancestors.
        return !diverted(entry, entry.parentId());
      }
      if (depth == 0 || !reached(parent, depth - 1)) {
        return false;
      }
      if (entry.mountPoint().equals(parent.mountPoint())) {
        return true; // stacked on the parent's root
      }
      if (topmost.get(parent.mountPoint()) != parent) {
        return false; // lookup goes on in the mount over the parent, never in the parent's tree
      }
      return !diverted(entry, parent.mountId());
    }

    /** Whether another mount on the same parent covers an ancestor of {@code entry}'s point. */
    private boolean diverted(MountEntry entry, int parentId) {
      for (String above = parentOf(entry.mountPoint()); above != null;
          above = parentOf(above)) {
        if (onParent.contains(parentId + " " + above)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The directory above an absolute path, or null for {@code /}. */
  private static String parentOf(String path) {
    if (path.equals("/")) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /**
   * The entries mounted at {@code directory} or below it, in file order. Whole path components
   * match: {@code /var/lib} includes {@code /var/lib/app}, not {@code /var/library}.
   */
  public List<MountEntry> under(String directory) {
    String dir = trimTrailingSlashes(directory);
    String prefix = dir.equals("/") ? "/" : dir + "/";
    return entries.stream()
        .filter(e -> e.mountPoint().equals(dir) || e.mountPoint().startsWith(prefix))
        .toList();
  }

  private static String trimTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MountTable table && entries.equals(table.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** One entry a line, so that an assertion failure shows a readable diff. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("MountTable[");
    entries.forEach(e -> text.append("\n  ").append(e));
    return text.append(entries.isEmpty() ? "]" : "\n]").toString();
  }
}
