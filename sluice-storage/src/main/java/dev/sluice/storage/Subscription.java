package dev.sluice.storage;

import java.time.Duration;

/**
 * The changes of one collection after a time, pulled in time order. The collection's history is the
 * buffer: an open subscription holds compaction back at its position. Caller closes.
 */
public interface Subscription extends AutoCloseable {
    /** The next event, or null if none arrived within {@code timeout}. */
    SubscriptionEvent poll(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
