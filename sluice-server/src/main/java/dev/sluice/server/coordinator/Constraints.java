package dev.sluice.server.coordinator;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.storage.Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Enforcement of PRIMARY KEY on write. */
final class Constraints {
    private Constraints() {
    }

    /** Checks that after {@code changes} every key of {@code table}'s primary key appears at most once. */
    static void checkPrimaryKey(Storage storage, TableItem table, Map<Row, Long> changes) {
        List<Integer> key = table.primaryKey();
        if (key.isEmpty()) {
            return;
        }
        Map<Row, Long> netByKey = new HashMap<>();
        Map<Row, Row> insertedByKey = new HashMap<>();
        for (Map.Entry<Row, Long> change : changes.entrySet()) {
            Row keyValues = change.getKey().project(key);
            netByKey.merge(keyValues, change.getValue(), Long::sum);
            if (change.getValue() > 0) {
                insertedByKey.put(keyValues, change.getKey());
            }
        }
        for (Map.Entry<Row, Long> entry : netByKey.entrySet()) {
            Optional<Row> existing = storage.lookupByKey(table.id(), entry.getKey());
            long total = (existing.isPresent() ? 1 : 0) + entry.getValue();
            if (total > 1 || (entry.getValue() > 0 && insertedByKey.containsKey(entry.getKey()) && changes.getOrDefault(insertedByKey.get(entry.getKey()), 0L) > 1)) {
                String columns = key.stream().map(index -> table.desc().column(index).name()).collect(Collectors.joining(", "));
                String values = entry.getKey().asList().stream().map(String::valueOf).collect(Collectors.joining(", "));
                throw SluiceException.of(ErrorCode.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"%s_pkey\"", table.name())
                        .withDetail("Key (" + columns + ")=(" + values + ") already exists.");
            }
        }
    }
}
