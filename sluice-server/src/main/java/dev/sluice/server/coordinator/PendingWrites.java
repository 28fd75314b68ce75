package dev.sluice.server.coordinator;

import dev.sluice.common.value.Row;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The row changes of one write transaction, consolidated per table: row to net multiplicity.
 * Not thread-safe: owned by one session.
 */
public final class PendingWrites {
    private final Map<String, Map<Row, Long>> byTable = new LinkedHashMap<>();
    private final Map<String, Long> readTablesAt = new LinkedHashMap<>();

    public void add(String tableId, Row row, long diff) {
        Map<Row, Long> rows = byTable.computeIfAbsent(tableId, ignored -> new LinkedHashMap<>());
        rows.merge(row, diff, (a, b) -> a + b == 0 ? null : a + b);
    }

    /**
     * Records that this transaction's changes to {@code tableId} were computed from the table as of
     * {@code time}: committing fails with a serialization error if the table changed since.
     */
    public void readTable(String tableId, long time) {
        readTablesAt.putIfAbsent(tableId, time);
    }

    public Map<String, Long> readTables() {
        return Collections.unmodifiableMap(readTablesAt);
    }

    public Map<Row, Long> changes(String tableId) {
        return Collections.unmodifiableMap(byTable.getOrDefault(tableId, Map.of()));
    }

    public Set<String> tables() {
        return Collections.unmodifiableSet(byTable.keySet());
    }

    public boolean isEmpty() {
        return byTable.values().stream().allMatch(Map::isEmpty) && readTablesAt.isEmpty();
    }

    public boolean hasChanges() {
        return byTable.values().stream().anyMatch(rows -> !rows.isEmpty());
    }

    public void clear() {
        byTable.clear();
        readTablesAt.clear();
    }
}
