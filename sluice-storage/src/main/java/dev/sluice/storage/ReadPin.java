package dev.sluice.storage;

/**
 * A read time pinned in memory against compaction (not durable): every collection that is readable at
 * {@link #time()} when the pin is taken stays readable there until {@link #close()}. Obtained from
 * {@link Storage#pinLatestReadTime()}; sessions take one per query or per reading transaction. Thread-safe.
 */
public interface ReadPin extends AutoCloseable {
    long time();

    /** Releases the pin; releasing twice is harmless. */
    @Override
    void close();
}
