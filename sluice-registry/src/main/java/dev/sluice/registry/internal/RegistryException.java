package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** A request the registry refuses, answered with {@link RegistryError}'s status, code and text. */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RegistryError error;

    public RegistryException(RegistryError error, Object... arguments) {
        super(String.format(Locale.ROOT, requireNonNull(error, "error is null").format(), arguments));
        this.error = error;
    }

    public RegistryError error() {
        return error;
    }
}
