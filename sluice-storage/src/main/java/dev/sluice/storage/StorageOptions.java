package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link Storage} runs.
 *
 * @param clock the timestamp oracle's wall clock (injected so tests can drive time)
 * @param tickInterval how often an idle storage advances its upper to the clock and compacts (positive, at most one second)
 * @param fsync whether a commit waits for fsync of the log before it is acknowledged (always on in production; off only
 *     in tests that do not simulate power loss)
 * @param checkpointBytes log bytes written since the last checkpoint after which a new checkpoint is taken (in the
 *     background) and the older log segments deleted
 */
public record StorageOptions(Clock clock, Duration tickInterval, boolean fsync, long checkpointBytes) {
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(1);
    public static final long DEFAULT_CHECKPOINT_BYTES = 64L << 20;

    public StorageOptions {
        requireNonNull(clock, "clock is null");
        requireNonNull(tickInterval, "tickInterval is null");
        if (tickInterval.isNegative() || tickInterval.isZero() || tickInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("tickInterval must be positive and at most one second: " + tickInterval);
        }
        if (checkpointBytes <= 0) {
            throw new IllegalArgumentException("checkpointBytes must be positive: " + checkpointBytes);
        }
    }

    /** The production settings: system UTC clock, one-second ticks, fsync on, checkpoint every 64 MiB of log. */
    public static StorageOptions defaults() {
        return new StorageOptions(Clock.systemUTC(), DEFAULT_TICK_INTERVAL, true, DEFAULT_CHECKPOINT_BYTES);
    }

    public StorageOptions withClock(Clock newClock) {
        return new StorageOptions(newClock, tickInterval, fsync, checkpointBytes);
    }

    public StorageOptions withTickInterval(Duration newTickInterval) {
        return new StorageOptions(clock, newTickInterval, fsync, checkpointBytes);
    }

    public StorageOptions withFsync(boolean newFsync) {
        return new StorageOptions(clock, tickInterval, newFsync, checkpointBytes);
    }

    public StorageOptions withCheckpointBytes(long newCheckpointBytes) {
        return new StorageOptions(clock, tickInterval, fsync, newCheckpointBytes);
    }
}
