package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The processes of one child: {@code unshare}, which this JVM started, the namespace's init below
 * it, and the child JVM below that. Tells whether a pid is that JVM's, reports the exit, asks the
 * JVM for a thread dump, and kills the tree.
 */
final class ProcessTree {

  /** How long a child that never got a test may take to end from below, before it is killed. */
  private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Process process;
  /** The child JVM's pid, once it has proved who it is. */
  private volatile long jvmPid;

  ProcessTree(Process process) {
    this.process = process;
  }

  /**
   * A test ends when its child has exited: this is told at once, rather than found on a later
   * poll. A thread of its own waits, not {@code Process.onExit()}, whose continuation needs a free
   * thread of the common ForkJoinPool, which a test (or the parent's own code) may be holding.
   */
  void watchExit(Consumer<ChildEvent> events) {
    Daemon.start("isolated-mounts-exit-" + process.pid(), () -> {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        return; // only this JVM's end interrupts a daemon; no test waits any more
      }
      events.accept(new ChildEvent.Exited());
    });
  }

  /** The JVM runs below {@code unshare} and the namespace's init: a grandchild of ours. */
  boolean startedByUs(long pid) {
    Optional<ProcessHandle> ancestor = ProcessHandle.of(pid);
    for (int generation = 0; generation < 3 && ancestor.isPresent(); generation++) {
      ancestor = ancestor.get().parent();
      if (ancestor.isPresent() && ancestor.get().pid() == process.pid()) {
        return true;
      }
    }
    return false;
  }

  /** Notes the pid of the JVM that proved to be the child. */
  void jvmConnected(long pid) {
    jvmPid = pid;
  }

  /**
   * Asks the child JVM for a thread dump (SIGQUIT: the JVM prints every thread's stack to its
   * stdout, which is replayed into the test's output), so a hang can be diagnosed after the kill;
   * returns whether it was asked. The dump takes a safepoint and a moment to write.
   */
  boolean requestThreadDump() throws InterruptedException {
    return signalJvm("QUIT"); // if not: no dump then; the kill and the failure still come
  }

  /**
   * Asks the child JVM to exit (SIGTERM: it runs its shutdown hooks, one of which keeps its
   * mounts); returns whether it was asked. An interrupt meanwhile is kept for the caller.
   */
  boolean terminateJvm() {
    boolean interrupted = Thread.interrupted();
    try {
      return signalJvm("TERM");
    } catch (InterruptedException e) {
      interrupted = true;
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean signalJvm(String signal) throws InterruptedException {
    if (jvmPid == 0 || !process.isAlive()) {
      return false;
    }
    try {
      // The shell's own kill: a container without procps has no kill binary. /bin/sh is there,
      // the namespace's init is one.
      return new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " \"$1\"", "sh",
          Long.toString(jvmPid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Ends a child that never got a test by killing its JVM, below the namespace's init: the init
   * reaps it and exits, {@code unshare} reaps the init and exits, and this JVM reaps
   * {@code unshare}. So the CPU time the child spent starting and warming up, about as much as a
   * test's child, is counted as this JVM's children's, as every other child's is (what
   * {@code time} reports, and the benchmark). Killed from the top, the init and the JVM were
   * reaped by the host's init instead, and their time was counted nowhere; nor is it when the
   * init is killed (the kernel then reaps the JVM, measured). A JVM killed outright runs no
   * shutdown hook (a coverage agent's would record a JVM that ran no test). Right after the fork
   * the JVM may not exist yet: it is looked for until {@code unshare} exits.
   */
  void killJvmBelowInit() {
    long deadline = System.nanoTime() + EXIT_GRACE_NANOS;
    while (process.isAlive() && System.nanoTime() - deadline < 0) {
      long unshare = process.pid();
      // One look at the host's processes: the JVM is a child of a child of unshare.
      process.descendants().filter(below -> below.parent().flatMap(ProcessHandle::parent)
          .map(ProcessHandle::pid).orElse(-1L) == unshare).forEach(ProcessHandle::destroyForcibly);
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // killed from the top instead, at once
      }
    }
  }

  /**
   * Killing {@code unshare} is enough: {@code --kill-child} kills the namespace's init, whose end
   * makes the kernel kill every process in the namespace, however it was started. The processes
   * still below it are killed as well, in case the kernel's chain is slower than this call. They
   * are listed first and killed after it: killed before it, they would leave {@code unshare} alive
   * for a moment to see its child die and complain on stderr, which ends up in the failure.
   */
  void kill() {
    if (!process.isAlive()) {
      // Then so is the namespace's init, and the kernel has ended everything else in it; what
      // was below unshare is no longer, anyway, found below it. A child that ended as it should
      // is not looked for among all the host's processes.
      return;
    }
    List<ProcessHandle> below = process.descendants().toList();
    process.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
  }
}
