package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What the client sent in its StartupMessage: {@code database} defaults to {@code user} as in
 * PostgreSQL; {@code parameters} holds every name/value pair, {@code user} and {@code database} included.
 */
public record StartupInfo(String user, String database, Map<String, String> parameters) {
    public StartupInfo {
        requireNonNull(user, "user is null");
        requireNonNull(database, "database is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    }
}
