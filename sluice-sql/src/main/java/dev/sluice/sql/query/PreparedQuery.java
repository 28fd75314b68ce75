package dev.sluice.sql.query;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A planned query, executable many times with different parameters. */
public interface PreparedQuery {
    List<Column> resultColumns();

    List<SqlType> parameterTypes();

    /** Per result column, the table column it passes through unchanged, if any. */
    default List<java.util.Optional<ColumnOrigin>> columnOrigins() {
        return java.util.Collections.nCopies(resultColumns().size(), java.util.Optional.empty());
    }

    /** Ids of the relations the query reads. */
    Set<String> referencedRelationIds();

    Iterator<Row> execute(List<Object> parameters, QueryContext context);
}
