/**
 * Internal: starts and supervises one child JVM per isolated test, inside new namespaces made by
 * util-linux {@code unshare}; owns its socket, token, output and lifetime. Not a supported API.
 */
package dev.isolatedmounts.internal.fork;
