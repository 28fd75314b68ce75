package dev.sluice.server.ddl;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.Notice;
import dev.sluice.sql.query.QueryEngine;
import java.util.function.Consumer;

/** What planning a DDL statement may use: the session's query engine and its notice channel. */
public record DdlContext(QueryEngine engine, Consumer<Notice> notices, boolean validateExternally) {
    public DdlContext {
        requireNonNull(engine, "engine is null");
        requireNonNull(notices, "notices is null");
    }
}
