package dev.isolatedmounts.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM plus that of every child it has waited for, from getrusage(2), and, as a
 * check on it, the whole machine's.
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

  /**
   * CPU seconds the whole machine has spent busy since it booted, from {@code /proc/stat} (user,
   * nice, system, irq, softirq; not idle, waiting for I/O, or steal, the time the hypervisor gave
   * to others). A rough check on the figures above it, sampled at the kernel's tick: a process
   * whose parent died before waiting for it is reaped by another, and its time is counted there
   * and nowhere in this JVM's.
   */
  static double machineCpuSeconds() {
    try (BufferedReader stat = Files.newBufferedReader(Path.of("/proc/stat"))) {
      String[] fields = stat.readLine().trim().split("\\s+");
      long ticks = 0;
      for (int field : new int[] {1, 2, 3, 6, 7}) {
        ticks += Long.parseLong(fields[field]);
      }
      return ticks / 100.0; // USER_HZ, 100 on Linux
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
