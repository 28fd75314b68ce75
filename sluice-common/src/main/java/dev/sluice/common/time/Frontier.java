package dev.sluice.common.time;

import java.util.OptionalLong;

/**
 * A frontier over totally ordered timestamps: either a single time {@code t}, meaning "every
 * update at a time {@code < t} is known", or empty, meaning "complete forever".
 */
public record Frontier(OptionalLong time) implements Comparable<Frontier> {
    public static final Frontier EMPTY = new Frontier(OptionalLong.empty());
    public static final Frontier MINIMUM = at(0);

    public Frontier {
        java.util.Objects.requireNonNull(time, "time is null");
    }

    public static Frontier at(long time) {
        return new Frontier(OptionalLong.of(time));
    }

    public boolean isEmpty() {
        return time.isEmpty();
    }

    /** The frontier's time; throws for the empty frontier. */
    public long get() {
        return time.orElseThrow(() -> new IllegalStateException("empty frontier"));
    }

    /** Whether an update at {@code t} is still possible: {@code t >= frontier}. */
    public boolean lessEqual(long t) {
        return time.isPresent() && time.getAsLong() <= t;
    }

    /** Empty is the greatest frontier. */
    @Override
    public int compareTo(Frontier other) {
        if (isEmpty()) {
            return other.isEmpty() ? 0 : 1;
        }
        if (other.isEmpty()) {
            return -1;
        }
        return Long.compare(get(), other.get());
    }

    @Override
    public String toString() {
        return isEmpty() ? "[]" : "[" + get() + "]";
    }
}
