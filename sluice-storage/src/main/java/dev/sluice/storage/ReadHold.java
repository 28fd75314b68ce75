package dev.sluice.storage;

/**
 * A durable read hold: the collection stays readable at {@link #time()} and later, across restarts,
 * until downgraded or released.
 */
public interface ReadHold {
    String name();

    String collection();

    long time();

    /** Moves the hold forward (a smaller time is ignored). Persisted with the next log sync. */
    void downgrade(long newTime);

    void release();
}
