package dev.sluice.storage;

/**
 * A durable named read hold on one collection: the collection's {@code since} never passes
 * {@link #time()}, across restarts, until the hold is downgraded or released. Obtained from
 * {@link Storage#acquireHold} or, after a restart, {@link Storage#hold}. Thread-safe.
 */
public interface ReadHold {
    String name();

    String collection();

    /** The held time, or -1 once released. */
    long time();

    /**
     * Moves the hold forward to {@code newTime}; a time at or before the current one is ignored. Returns at once; the
     * new time becomes durable with the next log sync, and until then compaction still respects the old one (so a
     * crash never leaves the hold at a time that was already compacted away).
     */
    void downgrade(long newTime);

    /** Releases the hold durably (returns once the release is synced). Releasing twice is harmless. */
    void release();
}
