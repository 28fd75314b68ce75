package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * @param clock the oracle's wall clock (injected so tests can drive time)
 * @param tickInterval how often an idle storage advances its upper (at most one second)
 * @param fsync whether commits wait for fsync (always on in production)
 * @param checkpointBytes the log size after which state is checkpointed and the log restarted
 */
public record StorageOptions(Clock clock, Duration tickInterval, boolean fsync, long checkpointBytes) {
    public StorageOptions {
        requireNonNull(clock, "clock is null");
        requireNonNull(tickInterval, "tickInterval is null");
    }

    public static StorageOptions defaults() {
        return new StorageOptions(Clock.systemUTC(), Duration.ofMillis(500), true, 64L << 20);
    }
}
