package dev.sluice.storage.internal;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory state of one collection: {@code base}, the consolidated contents of every update
 * before {@code since}, and the history of later updates one batch per timestamp. {@code base} is
 * never changed in place (compaction swaps in a new map), so snapshot readers can iterate it
 * without locks. Mutators are called under the storage lock.
 */
public final class CollectionState {
    /** All updates of one timestamp. */
    public record Batch(long time, List<Update> updates) {
    }

    private final String id;
    private final RelationDesc desc;
    private volatile Map<Row, Long> base = new HashMap<>();
    private volatile List<Batch> history = List.of();
    private long since;
    private final Map<Row, Row> latestByKey;
    private final List<Integer> keyColumns;

    public CollectionState(String id, RelationDesc desc, long since) {
        this.id = id;
        this.desc = desc;
        this.since = since;
        this.keyColumns = desc.uniqueKeys().isEmpty() ? List.of() : desc.uniqueKeys().get(0);
        this.latestByKey = keyColumns.isEmpty() ? null : new HashMap<>();
    }

    public String id() {
        return id;
    }

    public RelationDesc desc() {
        return desc;
    }

    public long since() {
        return since;
    }

    public Map<Row, Long> base() {
        return base;
    }

    public List<Batch> history() {
        return history;
    }

    public int historySize() {
        return history.size();
    }

    /** Appends the updates of one new timestamp (greater than every earlier one). */
    public void append(long time, List<Update> updates) {
        List<Batch> next = new ArrayList<>(history.size() + 1);
        next.addAll(history);
        next.add(new Batch(time, Collections.unmodifiableList(new ArrayList<>(updates))));
        history = Collections.unmodifiableList(next);
        if (latestByKey != null) {
            for (Update update : updates) {
                Row key = update.row().project(keyColumns);
                if (update.diff() > 0) {
                    latestByKey.put(key, update.row());
                } else if (update.row().equals(latestByKey.get(key))) {
                    latestByKey.remove(key);
                }
            }
        }
    }

    /** Loads a consolidated row during recovery. */
    public void loadBase(Row row, long count) {
        base.merge(row, count, (a, b) -> a + b == 0 ? null : a + b);
        if (latestByKey != null && count > 0) {
            latestByKey.put(row.project(keyColumns), row);
        }
    }

    public void setSince(long newSince) {
        this.since = newSince;
    }

    /** Folds every batch before {@code newSince} into a new base map. */
    public void compact(long newSince) {
        if (newSince <= since) {
            return;
        }
        List<Batch> current = history;
        int fold = 0;
        while (fold < current.size() && current.get(fold).time() < newSince) {
            fold++;
        }
        if (fold > 0) {
            Map<Row, Long> next = new HashMap<>(base);
            for (int i = 0; i < fold; i++) {
                for (Update update : current.get(i).updates()) {
                    next.merge(update.row(), update.diff(), (a, b) -> a + b == 0 ? null : a + b);
                }
            }
            base = next;
            history = Collections.unmodifiableList(new ArrayList<>(current.subList(fold, current.size())));
        }
        since = newSince;
    }

    public Optional<Row> lookupByKey(Row key) {
        return latestByKey == null ? Optional.empty() : Optional.ofNullable(latestByKey.get(key));
    }
}
