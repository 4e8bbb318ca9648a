/**
 * Internal: the child JVM's side. Connects to the parent, makes and verifies the test's mounts in
 * its own namespace, runs the one test through the JUnit Platform Launcher and reports back. Not a
 * supported API.
 */
package dev.isolatedmounts.internal.child;
