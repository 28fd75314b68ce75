package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** An option value given either inline ({@code 'text'}) or as {@code SECRET name} (by secret id). */
public record StringOrSecret(Optional<String> literal, Optional<String> secretId) {
    public StringOrSecret {
        requireNonNull(literal, "literal is null");
        requireNonNull(secretId, "secretId is null");
        if (literal.isPresent() == secretId.isPresent()) {
            throw new IllegalArgumentException("exactly one of literal and secretId");
        }
    }

    public static StringOrSecret literal(String value) {
        return new StringOrSecret(Optional.of(value), Optional.empty());
    }

    public static StringOrSecret secret(String secretId) {
        return new StringOrSecret(Optional.empty(), Optional.of(secretId));
    }
}
