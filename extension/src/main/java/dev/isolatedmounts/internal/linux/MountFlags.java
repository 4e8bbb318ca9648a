package dev.isolatedmounts.internal.linux;

import java.util.StringJoiner;

/**
 * The flags of {@code mount(2)} and {@code umount2(2)}, as in {@code <linux/mount.h>} and
 * {@code <sys/mount.h>} (the same on every Linux architecture).
 */
public final class MountFlags {

  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_SYNCHRONOUS = 16;
  public static final long MS_REMOUNT = 32;
  public static final long MS_MANDLOCK = 64;
  public static final long MS_DIRSYNC = 128;
  public static final long MS_NOSYMFOLLOW = 256;
  public static final long MS_NOATIME = 1024;
  public static final long MS_NODIRATIME = 2048;
  public static final long MS_BIND = 4096;
  public static final long MS_MOVE = 8192;
  public static final long MS_REC = 16384;
  public static final long MS_SILENT = 32768;
  public static final long MS_UNBINDABLE = 1 << 17;
  public static final long MS_PRIVATE = 1 << 18;
  public static final long MS_SLAVE = 1 << 19;
  public static final long MS_SHARED = 1 << 20;
  public static final long MS_RELATIME = 1 << 21;
  public static final long MS_STRICTATIME = 1 << 24;
  public static final long MS_LAZYTIME = 1 << 25;

  public static final int MNT_FORCE = 1;
  public static final int MNT_DETACH = 2;
  public static final int MNT_EXPIRE = 4;
  public static final int UMOUNT_NOFOLLOW = 8;

  private static final long[] MS_BITS = {
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_SYNCHRONOUS, MS_REMOUNT, MS_MANDLOCK, MS_DIRSYNC,
    MS_NOSYMFOLLOW, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_MOVE, MS_REC, MS_SILENT, MS_UNBINDABLE,
    MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_RELATIME, MS_STRICTATIME, MS_LAZYTIME
  };
  private static final String[] MS_NAMES = {
    "MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_SYNCHRONOUS", "MS_REMOUNT",
    "MS_MANDLOCK", "MS_DIRSYNC", "MS_NOSYMFOLLOW", "MS_NOATIME", "MS_NODIRATIME", "MS_BIND",
    "MS_MOVE", "MS_REC", "MS_SILENT", "MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE", "MS_SHARED",
    "MS_RELATIME", "MS_STRICTATIME", "MS_LAZYTIME"
  };
  private static final long[] UMOUNT_BITS = {MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW};
  private static final String[] UMOUNT_NAMES = {
    "MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW"
  };

  private MountFlags() {}

  /**
   * Names {@code mount(2)} flags, lowest bit first: {@code "MS_REC|MS_PRIVATE"}; {@code "0"} for
   * none; bits without a name are appended as one hex number, {@code "MS_BIND|0x10000"}.
   */
  public static String describe(long flags) {
    return describe(flags, MS_BITS, MS_NAMES);
  }

  /** Names {@code umount2(2)} flags like {@link #describe(long)}: {@code "MNT_DETACH"}. */
  public static String describeUnmount(int flags) {
    return describe(flags & 0xFFFF_FFFFL, UMOUNT_BITS, UMOUNT_NAMES);
  }

  /**
   * The {@code MS_*} bits that a {@code MS_REMOUNT|MS_BIND} of {@code entry} must repeat to keep
   * its per-mount flags: {@code ro}, {@code nosuid}, {@code nodev}, {@code noexec},
   * {@code nosymfollow} and its atime mode.
   *
   * <p>Why: such a remount replaces all per-mount flags with the ones given. In a mount namespace
   * owned by a less privileged user namespace the kernel locks the flags that came from the
   * parent (ro, nosuid, nodev, noexec and the atime mode, see mount_namespaces(7)) and refuses
   * with {@code EPERM} any remount that would clear them; any other flag not given is silently
   * cleared. The atime mode must match exactly, so a mount showing neither {@code relatime} nor
   * {@code noatime} is strictatime and gets {@link #MS_STRICTATIME}, as otherwise {@code
   * MS_NODIRATIME} alone would turn on the relatime default.
   */
  public static long lockedFlagsOf(MountEntry entry) {
    long flags = 0;
    if (entry.readOnly()) {
      flags |= MS_RDONLY;
    }
    flags |= flagIf(entry, "nosuid", MS_NOSUID);
    flags |= flagIf(entry, "nodev", MS_NODEV);
    flags |= flagIf(entry, "noexec", MS_NOEXEC);
    flags |= flagIf(entry, "nosymfollow", MS_NOSYMFOLLOW);
    flags |= flagIf(entry, "nodiratime", MS_NODIRATIME);
    if (entry.hasMountOption("noatime")) {
      flags |= MS_NOATIME;
    } else if (entry.hasMountOption("relatime")) {
      flags |= MS_RELATIME;
    } else {
      flags |= MS_STRICTATIME;
    }
    return flags;
  }

  private static long flagIf(MountEntry entry, String option, long flag) {
    return entry.hasMountOption(option) ? flag : 0;
  }

  private static String describe(long flags, long[] bits, String[] names) {
    if (flags == 0) {
      return "0";
    }
    StringJoiner joined = new StringJoiner("|");
    long unnamed = flags;
    for (int i = 0; i < bits.length; i++) {
      if ((flags & bits[i]) != 0) {
        joined.add(names[i]);
        unnamed &= ~bits[i];
      }
    }
    if (unnamed != 0) {
      joined.add("0x" + Long.toHexString(unnamed));
    }
    return joined.toString();
  }
}
