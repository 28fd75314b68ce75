package dev.sluice.pgwire;

import dev.sluice.common.type.SqlType;
import java.util.List;
import java.util.Optional;

/** A parsed and described statement, as returned by {@link PgSession#prepare}. */
public interface PreparedStatement {
    String sql();

    /** The type of each {@code $n} parameter. */
    List<SqlType> parameterTypes();

    /** The result's columns; empty when the statement returns no rows (NoData). */
    Optional<List<ResultColumn>> resultColumns();
}
