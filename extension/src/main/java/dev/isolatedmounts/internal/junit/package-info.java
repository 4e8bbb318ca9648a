/**
 * Internal: the JUnit glue behind the public annotations. Decides, per lifecycle call, whether it
 * runs in this JVM or in a child, and turns a child's result into this JVM's outcome. Not a
 * supported API.
 */
package dev.isolatedmounts.internal.junit;
