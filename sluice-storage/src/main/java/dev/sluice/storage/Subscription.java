package dev.sluice.storage;

import java.time.Duration;

/**
 * The changes of one collection after a time, pulled in time order: each retained timestamp's
 * updates as one {@link SubscriptionEvent.Updates}, then a {@link SubscriptionEvent.Progress}
 * whenever the upper moves past what was delivered. The collection's history is the buffer: an
 * open subscription holds {@code since} at its position. Caller closes. Not thread-safe.
 */
public interface Subscription extends AutoCloseable {
    /**
     * The next event, or null if none arrived within {@code timeout} or the storage is closed.
     *
     * @throws dev.sluice.common.error.SluiceException UNDEFINED_TABLE if the collection was dropped, INTERNAL_ERROR
     *     if the subscription is closed
     */
    SubscriptionEvent poll(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
