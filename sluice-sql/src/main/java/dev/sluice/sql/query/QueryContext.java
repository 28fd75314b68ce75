package dev.sluice.sql.query;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** What an execution reads at: the timestamp of table snapshots and the session's settings. */
public record QueryContext(long asOf, Map<String, String> sessionVariables) {
    public QueryContext {
        sessionVariables = Map.copyOf(requireNonNull(sessionVariables, "sessionVariables is null"));
    }
}
