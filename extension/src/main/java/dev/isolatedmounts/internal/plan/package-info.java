/**
 * Internal: the mount plan of an isolated test, read from its annotations and validated before any
 * child starts. Knows nothing of processes or of the JUnit engine; not a supported API.
 */
package dev.isolatedmounts.internal.plan;
