package dev.sluice.registry.internal;

/**
 * A version as named in a request path: a number from 1 to 2^31-1, or {@code latest} (also
 * written {@code -1}), the newest live version.
 */
public record VersionRef(int number) {
    public static final VersionRef LATEST = new VersionRef(-1);

    /** @throws RegistryException 42202 for anything else */
    public static VersionRef parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        int number;
        try {
            number = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryError.INVALID_VERSION, text);
        }
        if (number <= 0 && number != -1) {
            throw new RegistryException(RegistryError.INVALID_VERSION, text);
        }
        return new VersionRef(number);
    }

    public boolean isLatest() {
        return number == -1;
    }
}
