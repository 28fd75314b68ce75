package dev.sluice.kafka.format.avro;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Avro names: field-name sanitisation and de-duplication (reference §9.2), and fullname validation (§2.4.1 item 11). */
public final class AvroNames {
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AvroNames() {
    }

    /**
     * A valid Avro name for {@code name}: the first character is kept if it is an ASCII letter, a digit
     * becomes {@code _} followed by the digit, anything else {@code _}; later characters are kept if they
     * are ASCII letters or digits and become {@code _} otherwise.
     */
    public static String makeValid(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        StringBuilder valid = new StringBuilder(name.length() + 1);
        char first = name.charAt(0);
        if (isAsciiLetter(first)) {
            valid.append(first);
        } else if (isAsciiDigit(first)) {
            valid.append('_').append(first);
        } else {
            valid.append('_');
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            valid.append(isAsciiLetter(c) || isAsciiDigit(c) ? c : '_');
        }
        return valid.toString();
    }

    /**
     * The problem with a user-given fullname, if any: the message of the reference naming the first
     * invalid component ({@code Invalid name. … Found: bad-name}).
     */
    public static Optional<String> fullNameError(String fullName) {
        for (String component : fullName.split("\\.", -1)) {
            if (!SIMPLE_NAME.matcher(component).matches()) {
                return Optional.of("Invalid name. Must start with [A-Za-z_] and subsequently only contain [A-Za-z0-9_]. Found: " + component);
            }
        }
        return Optional.empty();
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Field names of one record: sanitised, then a name already used gets the suffix {@code 1},
     * {@code 2}, … in order of appearance ({@code tricky-name}, {@code tricky!name} → {@code tricky_name},
     * {@code tricky_name1}). Not thread-safe; one per record.
     */
    static final class FieldNamer {
        private final Map<String, Integer> occurrences = new HashMap<>();
        private final Set<String> used = new HashSet<>();

        String next(String columnName) {
            String valid = makeValid(columnName);
            int count = occurrences.getOrDefault(valid, 0);
            String candidate = count == 0 ? valid : valid + count;
            // A column literally named like an earlier suffixed one must not produce a duplicate field.
            while (!used.add(candidate)) {
                count++;
                candidate = valid + count;
            }
            occurrences.put(valid, count + 1);
            return candidate;
        }
    }
}
