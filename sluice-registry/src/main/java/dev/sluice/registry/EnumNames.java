package dev.sluice.registry;

import java.util.Locale;
import java.util.Optional;

/** Enum constants named case-insensitively in requests, as Confluent's registry accepts them. */
final class EnumNames {
    private EnumNames() {
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
