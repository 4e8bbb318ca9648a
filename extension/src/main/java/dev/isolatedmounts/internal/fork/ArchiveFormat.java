package dev.isolatedmounts.internal.fork;

import java.nio.file.Path;
import java.util.List;

/**
 * The kind of archive a JDK makes of a child's classes, with the options that write, use and
 * check one.
 */
enum ArchiveFormat {

  /**
   * JDK 17 to 24: a dynamic class-data-sharing archive, written at exit. Classes are mapped
   * instead of parsed and verified, but still linked in every child.
   */
  DYNAMIC_CDS(".jsa") {
    @Override
    String writeOption(Path file) {
      return "-XX:ArchiveClassesAtExit=" + file;
    }

    @Override
    List<String> useOptions(Path file) {
      return List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto", "-Xlog:cds*=off");
    }

    @Override
    List<String> checkOptions(Path file) {
      return List.of("-XX:SharedArchiveFile=" + file, "-Xshare:on");
    }
  },

  /**
   * JDK 25 and later: an ahead-of-time cache (JEP 483 and 514), also written at exit, whose
   * classes are loaded and linked already, lambdas and all: a child starts in about two thirds of
   * the time it takes with a dynamic archive.
   */
  AOT_CACHE(".aot") {
    @Override
    String writeOption(Path file) {
      return "-XX:AOTCacheOutput=" + file;
    }

    @Override
    List<String> useOptions(Path file) {
      return List.of("-XX:AOTCache=" + file, "-Xlog:aot*=off", "-Xlog:cds*=off");
    }

    @Override
    List<String> checkOptions(Path file) {
      return List.of("-XX:AOTCache=" + file, "-XX:AOTMode=on");
    }

    /** The JDK refuses an AOT cache beside any -Xshare option, even the default one. */
    @Override
    List<String> compatible(List<String> options) {
      return options.stream().filter(option -> !option.equals("-Xshare:auto")).toList();
    }
  };

  /** Options with which the user decides about sharing; then none is made. */
  static final List<String> USER_CHOICES = List.of("-Xshare:off", "-Xshare:on", "-Xshare:dump",
      "-XX:SharedArchiveFile",
      "-XX:ArchiveClassesAtExit", "-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration");

  private final String suffix;

  ArchiveFormat(String suffix) {
    this.suffix = suffix;
  }

  static ArchiveFormat of(Runtime.Version version) {
    return version.feature() >= 25 ? AOT_CACHE : DYNAMIC_CDS;
  }

  /** The file name's ending: archives of both kinds may share a cache directory. */
  String suffix() {
    return suffix;
  }

  /** The option that has a JVM write the archive when it exits. */
  abstract String writeOption(Path file);

  /**
   * The options that start a child with the archive. The JVM reports trouble with an archive
   * (such as options the JDK's own archive was not made with) on stdout, where it would become the
   * test's output; it falls back by itself, so those lines are turned off.
   */
  abstract List<String> useOptions(Path file);

  /** The options with which a JVM fails to start unless it can use the archive. */
  abstract List<String> checkOptions(Path file);

  /** The user's and default options, less any this kind of archive cannot be used with. */
  List<String> compatible(List<String> options) {
    return options;
  }

  /** The options that start a child with the archive: {@code options}, then the archive's. */
  List<String> withArchive(List<String> options, Path file) {
    List<String> all = new java.util.ArrayList<>(compatible(options));
    all.addAll(useOptions(file));
    return List.copyOf(all);
  }
}
