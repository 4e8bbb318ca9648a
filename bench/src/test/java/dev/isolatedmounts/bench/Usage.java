package dev.isolatedmounts.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.lang.management.ManagementFactory;

/**
 * CPU time of this JVM plus that of every child it has waited for, from getrusage(2).
 */
final class Usage {

  private static final int RUSAGE_SELF = 0;
  private static final int RUSAGE_CHILDREN = -1;

  private Usage() {}

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int getrusage(int who, RUsage usage);
  }

  /** struct rusage on 64-bit Linux: two timevals, then 14 longs. */
  @Structure.FieldOrder({"utimeSec", "utimeUsec", "stimeSec", "stimeUsec", "maxrss", "ixrss",
      "idrss", "isrss", "minflt", "majflt", "nswap", "inblock", "oublock", "msgsnd", "msgrcv",
      "nsignals", "nvcsw", "nivcsw"})
  public static class RUsage extends Structure {
    public long utimeSec;
    public long utimeUsec;
    public long stimeSec;
    public long stimeUsec;
    public long maxrss;
    public long ixrss;
    public long idrss;
    public long isrss;
    public long minflt;
    public long majflt;
    public long nswap;
    public long inblock;
    public long oublock;
    public long msgsnd;
    public long msgrcv;
    public long nsignals;
    public long nvcsw;
    public long nivcsw;

    double cpuSeconds() {
      return utimeSec + stimeSec + (utimeUsec + stimeUsec) / 1e6;
    }
  }

  private static RUsage of(int who) {
    RUsage usage = new RUsage();
    if (LibC.INSTANCE.getrusage(who, usage) != 0) {
      throw new IllegalStateException("getrusage failed");
    }
    return usage;
  }

  /** CPU seconds of this process (all threads) and of all waited-for descendants. */
  static double cpuSeconds() {
    double self = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    return self + of(RUSAGE_CHILDREN).cpuSeconds();
  }

  static double selfCpuSeconds() {
    return of(RUSAGE_SELF).cpuSeconds();
  }
}
