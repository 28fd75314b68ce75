package dev.sluice.common.value;

import static java.util.Objects.requireNonNull;

/**
 * A jsonb value held as its canonical text: PostgreSQL's jsonb output form (object keys sorted by
 * length then bytes, duplicates removed keeping the last, {@code ", "} and {@code ": "} separators).
 * Two equal jsonb values have equal text.
 */
public record Jsonb(String text) implements Comparable<Jsonb> {
    public Jsonb {
        requireNonNull(text, "text is null");
    }

    @Override
    public int compareTo(Jsonb other) {
        return text.compareTo(other.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
