package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The warning for a sink key that is not unique in the sinked relation (reference §8.1): more than one
 * message for one key at one time. Every message is still written; the user sees the warning in the
 * server's log, at most once per {@link #INTERVAL_NANOS} per sink, and nothing else changes (no error,
 * no status). Not thread-safe: the sink's writer owns it.
 */
final class PkViolationWarner {
    static final String MESSAGE = "primary key error: expected at most one update per key and timestamp; "
            + "this can happen when the configured sink key is not a primary key of the sinked relation";
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private boolean warned;
    private long lastWarning;
    private long suppressed;

    PkViolationWarner(Consumer<String> log, LongSupplier nanoTime) {
        this.log = requireNonNull(log, "log is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** A key had more than one message at one time; warns unless it warned less than the interval ago. */
    void repeatedKey() {
        long now = nanoTime.getAsLong();
        if (warned && now - lastWarning < INTERVAL_NANOS) {
            suppressed++;
            return;
        }
        log.accept(suppressed == 0 ? MESSAGE : MESSAGE + " (" + suppressed + " more since the last warning)");
        warned = true;
        lastWarning = now;
        suppressed = 0;
    }
}
