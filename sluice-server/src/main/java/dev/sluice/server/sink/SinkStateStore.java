package dev.sluice.server.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.server.system.SinkObservations.Statistics;
import dev.sluice.server.system.SinkObservations.StatusEvent;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the server observed of its sinks, kept in storage collections so that it survives a restart: the counters of
 * {@code mz_sink_statistics}, one row per sink, written every few seconds and when the server stops (after a crash they go
 * on from the last write, so they may miss what a sink did in its last seconds, and never count a message twice); and the
 * status changes of {@code mz_sink_status_history}, each written as it happens.
 */
final class SinkStateStore {
    static final String STATISTICS_ID = "sink_statistics";
    static final String HISTORY_ID = "sink_status_history";
    private static final RelationDesc STATISTICS_DESC = new RelationDesc(List.of(new Column("sink_id", SqlType.TEXT, false),
            new Column("messages_staged", SqlType.BIGINT, false), new Column("messages_committed", SqlType.BIGINT, false),
            new Column("bytes_staged", SqlType.BIGINT, false), new Column("bytes_committed", SqlType.BIGINT, false)), List.of(List.of(0)));
    private static final RelationDesc HISTORY_DESC = RelationDesc.of(List.of(new Column("occurred_at", SqlType.TIMESTAMPTZ, false),
            new Column("sink_id", SqlType.TEXT, false), new Column("status", SqlType.TEXT, false), new Column("error", SqlType.TEXT, true),
            new Column("details", SqlType.TEXT, true)));

    private final Storage storage;
    /** What the statistics collection holds now, per sink. */
    private final Map<String, Statistics> written = new HashMap<>();
    /** The status changes stored when the server started, oldest first. */
    private final List<StatusEvent> history = new ArrayList<>();

    /** Opens the collections (creating them in a new data directory) and reads what they hold. */
    SinkStateStore(Storage storage) {
        this.storage = requireNonNull(storage, "storage is null");
        WriteBatch create = new WriteBatch();
        boolean missing = false;
        for (Map.Entry<String, RelationDesc> collection : Map.of(STATISTICS_ID, STATISTICS_DESC, HISTORY_ID, HISTORY_DESC).entrySet()) {
            if (!storage.exists(collection.getKey())) {
                create.create(collection.getKey(), collection.getValue());
                missing = true;
            }
        }
        if (missing) {
            storage.commit(create);
        }
        read(STATISTICS_ID, row -> {
            Statistics statistics = statisticsFromRow(row);
            written.put(statistics.sinkId(), statistics);
        });
        read(HISTORY_ID, row -> history.add(eventFromRow(row)));
        history.sort(java.util.Comparator.comparing(StatusEvent::occurredAt));
    }

    private void read(String collection, java.util.function.Consumer<Row> each) {
        try (SnapshotCursor cursor = storage.snapshot(collection, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                RowCount count = cursor.next();
                for (long i = 0; i < count.count(); i++) {
                    each.accept(count.row());
                }
            }
        }
    }

    /** The status changes stored when the server started, oldest first. */
    List<StatusEvent> storedHistory() {
        return List.copyOf(history);
    }

    /** Stores a status change, and removes the older ones the in-memory history let go. */
    synchronized void recordStatus(StatusEvent added, List<StatusEvent> evicted) {
        WriteBatch batch = new WriteBatch().add(HISTORY_ID, eventToRow(added), 1);
        evicted.forEach(event -> batch.add(HISTORY_ID, eventToRow(event), -1));
        storage.commit(batch);
    }

    /** The counters last written for {@code sinkId}. */
    synchronized Optional<Statistics> stored(String sinkId) {
        return Optional.ofNullable(written.get(sinkId));
    }

    /** Writes the counters of {@code current} that changed since the last write, in one durable transaction. */
    synchronized void write(List<Statistics> current) {
        WriteBatch batch = new WriteBatch();
        Map<String, Statistics> changed = new HashMap<>();
        for (Statistics statistics : current) {
            Statistics before = written.get(statistics.sinkId());
            if (statistics.equals(before)) {
                continue;
            }
            if (before != null) {
                batch.add(STATISTICS_ID, toRow(before), -1);
            }
            batch.add(STATISTICS_ID, toRow(statistics), 1);
            changed.put(statistics.sinkId(), statistics);
        }
        if (!changed.isEmpty()) {
            // What the collection holds changes only once the write is durable: a failed one is tried again from the same rows.
            storage.commit(batch);
            written.putAll(changed);
        }
    }

    /** Removes the counters of sinks not in {@code sinkIds} (dropped just before a crash). */
    synchronized void retainOnly(java.util.Set<String> sinkIds) {
        WriteBatch batch = new WriteBatch();
        List<String> gone = new ArrayList<>();
        for (Statistics before : written.values()) {
            if (!sinkIds.contains(before.sinkId())) {
                batch.add(STATISTICS_ID, toRow(before), -1);
                gone.add(before.sinkId());
            }
        }
        if (!gone.isEmpty()) {
            storage.commit(batch);
            gone.forEach(written::remove);
        }
    }

    /** Removes the counters of a dropped sink. */
    synchronized void forget(String sinkId) {
        Statistics before = written.get(sinkId);
        if (before != null) {
            storage.commit(new WriteBatch().add(STATISTICS_ID, toRow(before), -1));
            written.remove(sinkId);
        }
    }

    private static Row toRow(Statistics statistics) {
        return Row.of(statistics.sinkId(), statistics.messagesStaged(), statistics.messagesCommitted(), statistics.bytesStaged(),
                statistics.bytesCommitted());
    }

    private static Statistics statisticsFromRow(Row row) {
        return new Statistics((String) row.get(0), (Long) row.get(1), (Long) row.get(2), (Long) row.get(3), (Long) row.get(4));
    }

    private static Row eventToRow(StatusEvent event) {
        return Row.of(event.occurredAt(), event.sinkId(), event.status(), event.error().orElse(null), event.detailsJson().orElse(null));
    }

    private static StatusEvent eventFromRow(Row row) {
        return new StatusEvent((java.time.Instant) row.get(0), (String) row.get(1), (String) row.get(2), Optional.ofNullable((String) row.get(3)),
                Optional.ofNullable((String) row.get(4)));
    }
}
