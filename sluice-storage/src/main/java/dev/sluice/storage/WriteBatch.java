package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one commit does, applied atomically at one timestamp: collection creations, drops and row changes. */
public final class WriteBatch {
    /** A row change of one collection. */
    public record Change(String collection, Row row, long diff) {
        public Change {
            requireNonNull(collection, "collection is null");
            requireNonNull(row, "row is null");
        }
    }

    private final Map<String, RelationDesc> creates = new LinkedHashMap<>();
    private final List<String> drops = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();

    public WriteBatch create(String collection, RelationDesc desc) {
        creates.put(requireNonNull(collection, "collection is null"), requireNonNull(desc, "desc is null"));
        return this;
    }

    public WriteBatch drop(String collection) {
        drops.add(requireNonNull(collection, "collection is null"));
        return this;
    }

    public WriteBatch add(String collection, Row row, long diff) {
        if (diff != 0) {
            changes.add(new Change(collection, row, diff));
        }
        return this;
    }

    public Map<String, RelationDesc> creates() {
        return Collections.unmodifiableMap(creates);
    }

    public List<String> drops() {
        return Collections.unmodifiableList(drops);
    }

    public List<Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    public boolean isEmpty() {
        return creates.isEmpty() && drops.isEmpty() && changes.isEmpty();
    }
}
