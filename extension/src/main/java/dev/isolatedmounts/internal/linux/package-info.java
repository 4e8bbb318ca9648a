/**
 * Internal: the only place that knows Linux syscalls. A JNA binding to libc ({@code LibC}) behind
 * an errno-checking facade ({@link dev.isolatedmounts.internal.linux.Syscalls}), the
 * {@code mount(2)} flags, and a parser for {@code /proc/self/mountinfo}. The parent JVM uses only
 * what loads no native code: the parser and
 * {@link dev.isolatedmounts.internal.linux.ProcessStatus}.
 *
 * <p>Not part of the public API; any type here may change without notice.
 */
package dev.isolatedmounts.internal.linux;
