package dev.isolatedmounts.internal.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/<pid>/mountinfo} (see proc_pid_mountinfo(5)), with the kernel's octal
 * escapes in paths and options decoded.
 *
 * @param mountId unique id of the mount
 * @param parentId id of the parent mount (or of itself for the root of the namespace's tree)
 * @param majorMinor the {@code st_dev} of files on this filesystem, e.g. {@code "0:21"}
 * @param root the directory of the filesystem that forms the root of this mount, e.g. {@code "/"}
 * @param mountPoint where the mount is, relative to the process's root
 * @param mountOptions per-mount options, e.g. {@code [rw, nosuid, relatime]}
 * @param optionalFields tagged fields such as {@code shared:1} or {@code master:2}, maybe none
 * @param fsType the filesystem type, e.g. {@code "tmpfs"}
 * @param source filesystem-specific source, e.g. {@code "/dev/sda1"}, {@code "tmpfs"} or empty
 * @param superOptions per-superblock options, e.g. {@code [rw, size=4096k, mode=700]}
 */
public record MountEntry(
    int mountId,
    int parentId,
    String majorMinor,
    String root,
    String mountPoint,
    List<String> mountOptions,
    List<String> optionalFields,
    String fsType,
    String source,
    List<String> superOptions) {

  public MountEntry {
    Objects.requireNonNull(majorMinor, "majorMinor");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(mountPoint, "mountPoint");
    mountOptions = List.copyOf(mountOptions);
    optionalFields = List.copyOf(optionalFields);
    Objects.requireNonNull(fsType, "fsType");
    Objects.requireNonNull(source, "source");
    superOptions = List.copyOf(superOptions);
  }

  /** Whether this mount is read-only ({@code ro} among the per-mount options). */
  public boolean readOnly() {
    return hasMountOption("ro");
  }

  /** Whether {@code option}, e.g. {@code "nosuid"}, is among the per-mount options. */
  public boolean hasMountOption(String option) {
    return mountOptions.contains(option);
  }

  /** Whether {@code option}, e.g. {@code "size=4096k"}, is among the per-superblock options. */
  public boolean hasSuperOption(String option) {
    return superOptions.contains(option);
  }

  /**
   * The propagation type, from the optional fields: {@code "shared"}, {@code "master"} (a slave
   * mount), {@code "shared,master"} (both at once), {@code "unbindable"}, or {@code "private"}
   * when there is none of them.
   */
  public String propagation() {
    List<String> types = new ArrayList<>(2);
    for (String field : optionalFields) {
      if (field.startsWith("shared:")) {
        types.add("shared");
      } else if (field.startsWith("master:")) {
        types.add("master");
      } else if (field.equals("unbindable")) {
        types.add("unbindable");
      }
      // propagate_from:N only refines master:N; unknown tags are ignored, as proc(5) asks.
    }
    return types.isEmpty() ? "private" : String.join(",", types);
  }

  /** The entry much as mountinfo shows it, with paths decoded. */
  @Override
  public String toString() {
    String fields = optionalFields.isEmpty() ? "" : String.join(" ", optionalFields) + " ";
    return mountId + " " + parentId + " " + majorMinor + " " + root + " " + mountPoint + " "
        + String.join(",", mountOptions) + " " + fields + "- " + fsType + " " + source + " "
        + String.join(",", superOptions);
  }
}
