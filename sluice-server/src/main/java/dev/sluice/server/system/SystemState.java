package dev.sluice.server.system;

import static java.util.Objects.requireNonNull;

import dev.sluice.server.catalog.Catalog;

/** The state a system relation is computed from: the catalog snapshot and sink observations. */
public record SystemState(Catalog catalog, SinkObservations sinks, String currentUser) {
    public SystemState {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(sinks, "sinks is null");
        requireNonNull(currentUser, "currentUser is null");
    }
}
