package dev.sluice.sql.query;

import dev.sluice.common.value.Row;
import java.util.Iterator;

/** Produces a relation's rows (Java values of its SqlTypes) for one query execution. */
@FunctionalInterface
public interface RowSource {
    Iterator<Row> scan(QueryContext context);
}
