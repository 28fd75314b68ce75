package dev.sluice.server.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.server.system.SinkObservations.Statistics;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.WriteBatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sinks' counters, kept in a storage collection so that {@code mz_sink_statistics} goes on from where it was after a
 * restart instead of starting from zero: written every few seconds and when the server stops, one row per sink. After a
 * crash the counters go on from the last write, so they may miss what the sink did in its last seconds; they never count
 * a message twice.
 */
final class SinkStatisticsStore {
    static final String COLLECTION_ID = "sink_statistics";
    private static final RelationDesc DESC = new RelationDesc(List.of(new Column("sink_id", SqlType.TEXT, false),
            new Column("messages_staged", SqlType.BIGINT, false), new Column("messages_committed", SqlType.BIGINT, false),
            new Column("bytes_staged", SqlType.BIGINT, false), new Column("bytes_committed", SqlType.BIGINT, false)), List.of(List.of(0)));

    private final Storage storage;
    /** What the collection holds now, per sink. */
    private final Map<String, Statistics> written = new HashMap<>();

    /** Opens the collection (creating it in a new data directory) and reads what it holds. */
    SinkStatisticsStore(Storage storage) {
        this.storage = requireNonNull(storage, "storage is null");
        if (!storage.exists(COLLECTION_ID)) {
            storage.commit(new WriteBatch().create(COLLECTION_ID, DESC));
            return;
        }
        try (SnapshotCursor cursor = storage.snapshot(COLLECTION_ID, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                RowCount count = cursor.next();
                Statistics statistics = fromRow(count.row());
                written.put(statistics.sinkId(), statistics);
            }
        }
    }

    /** The counters last written for {@code sinkId}. */
    synchronized Optional<Statistics> stored(String sinkId) {
        return Optional.ofNullable(written.get(sinkId));
    }

    /** Writes the counters of {@code current} that changed since the last write, in one durable transaction. */
    synchronized void write(List<Statistics> current) {
        WriteBatch batch = new WriteBatch();
        boolean changed = false;
        for (Statistics statistics : current) {
            Statistics before = written.get(statistics.sinkId());
            if (statistics.equals(before)) {
                continue;
            }
            if (before != null) {
                batch.add(COLLECTION_ID, toRow(before), -1);
            }
            batch.add(COLLECTION_ID, toRow(statistics), 1);
            written.put(statistics.sinkId(), statistics);
            changed = true;
        }
        if (changed) {
            storage.commit(batch);
        }
    }

    /** Removes the counters of sinks not in {@code sinkIds} (dropped just before a crash). */
    synchronized void retainOnly(java.util.Set<String> sinkIds) {
        WriteBatch batch = new WriteBatch();
        boolean changed = false;
        for (var iterator = written.values().iterator(); iterator.hasNext(); ) {
            Statistics before = iterator.next();
            if (!sinkIds.contains(before.sinkId())) {
                batch.add(COLLECTION_ID, toRow(before), -1);
                iterator.remove();
                changed = true;
            }
        }
        if (changed) {
            storage.commit(batch);
        }
    }

    /** Removes the counters of a dropped sink. */
    synchronized void forget(String sinkId) {
        Statistics before = written.remove(sinkId);
        if (before != null) {
            storage.commit(new WriteBatch().add(COLLECTION_ID, toRow(before), -1));
        }
    }

    private static Row toRow(Statistics statistics) {
        return Row.of(statistics.sinkId(), statistics.messagesStaged(), statistics.messagesCommitted(), statistics.bytesStaged(),
                statistics.bytesCommitted());
    }

    private static Statistics fromRow(Row row) {
        return new Statistics((String) row.get(0), (Long) row.get(1), (Long) row.get(2), (Long) row.get(3), (Long) row.get(4));
    }
}
