/**
 * Internal: the frames between the parent JVM and the child JVM of an isolated test, and the codec
 * that carries a test's throwable across.
 *
 * <p>Not an API: anything here may change in any release. The package knows nothing of JUnit's
 * engine, sockets or processes; it turns messages into bytes and back, so it is tested with byte
 * arrays. It never uses Java serialization: a crafted payload names classes only as strings, and a
 * class is instantiated only if it is a {@link java.lang.Throwable} with a public constructor.
 */
package dev.isolatedmounts.internal.wire;
