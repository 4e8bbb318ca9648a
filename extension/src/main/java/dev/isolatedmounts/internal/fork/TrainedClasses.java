package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an archive was trained with beyond the training test (see {@link LoadedClasses}), as kept
 * beside it: the names it holds, and those a training failed to add, which are not to be tried
 * again. One name per line, a tried one after a {@code -}.
 */
record TrainedClasses(Set<String> held, Set<String> tried) {

  static final TrainedClasses NONE = new TrainedClasses(Set.of(), Set.of());
  private static final String TRIED = "-";

  /** Every name the archive holds or was tried with: none of them is a reason to train it. */
  Set<String> known() {
    Set<String> known = new LinkedHashSet<>(held);
    known.addAll(tried);
    return known;
  }

  boolean isEmpty() {
    return held.isEmpty() && tried.isEmpty();
  }

  /**
   * What this archive was trained with after a training for {@code goal} failed: the archive is
   * as it was, and the names the training would have added are tried.
   */
  TrainedClasses failedToAdd(TrainedClasses goal) {
    Set<String> triedNow = new LinkedHashSet<>(tried);
    goal.held().stream().filter(name -> !held.contains(name)).forEach(triedNow::add);
    return new TrainedClasses(held, triedNow);
  }

  /**
   * What an archive that supersedes this one (rebuilt jars, an updated JDK) is trained with: the
   * names this one holds, not those it tried. A training may have failed for a reason of its
   * time (past its limit on a busy machine, killed): a new archive tries them again once.
   */
  TrainedClasses forSuccessor() {
    return new TrainedClasses(held, Set.of());
  }

  /**
   * What is kept in {@code file}, at most {@link LoadedClasses#LIMIT} names of each kind; nothing
   * if there is no such file, or it cannot be read (trained without them, as before there were
   * any).
   */
  static TrainedClasses read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
    Set<String> held = new LinkedHashSet<>();
    Set<String> tried = new LinkedHashSet<>();
    for (String line : lines) {
      String name = line.strip();
      boolean wasTried = name.startsWith(TRIED);
      name = wasTried ? name.substring(TRIED.length()) : name;
      Set<String> kind = wasTried ? tried : held;
      if (!name.isEmpty() && kind.size() < LoadedClasses.LIMIT) {
        kind.add(name);
      }
    }
    return new TrainedClasses(held, tried);
  }

  /** Keeps this in {@code file}, replacing it at once, or removes it if empty. */
  void keep(Path file) throws IOException {
    if (isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    StringBuilder text = new StringBuilder();
    held.stream().limit(LoadedClasses.LIMIT).forEach(name -> text.append(name).append('\n'));
    tried.stream().limit(LoadedClasses.LIMIT)
        .forEach(name -> text.append(TRIED).append(name).append('\n'));
    AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
