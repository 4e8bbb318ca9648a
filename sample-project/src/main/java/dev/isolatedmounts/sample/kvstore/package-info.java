/**
 * A small file-backed key-value store: configured from {@code /etc/kvstore/kvstore.conf}, one file
 * per key under {@code /var/lib/kvstore}.
 *
 * <p>Entry point: {@link dev.isolatedmounts.sample.kvstore.KvStore}. Failures of the data
 * directory surface as {@link dev.isolatedmounts.sample.kvstore.KvStoreException} subtypes.
 */
package dev.isolatedmounts.sample.kvstore;
