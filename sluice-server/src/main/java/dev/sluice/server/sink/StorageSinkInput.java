package dev.sluice.server.sink;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.kafka.sink.SinkInput;
import dev.sluice.storage.ReadHold;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.Subscription;
import dev.sluice.storage.SubscriptionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A table as a sink's input: a streamed snapshot, then its changes; holds the table at the sink's committed frontier. */
final class StorageSinkInput implements SinkInput {
    private static final int SNAPSHOT_BATCH = 1024;

    private final Storage storage;
    private final String collection;
    private final ReadHold hold;

    StorageSinkInput(Storage storage, String collection, ReadHold hold) {
        this.storage = storage;
        this.collection = collection;
        this.hold = hold;
    }

    @Override
    public RelationDesc desc() {
        return storage.desc(collection);
    }

    @Override
    public long readableSince() {
        return storage.since(collection);
    }

    @Override
    public Cursor open(long asOf, boolean withSnapshot) {
        SnapshotCursor snapshot = withSnapshot ? storage.snapshot(collection, asOf) : null;
        Subscription subscription = storage.subscribe(collection, asOf);
        return new Cursor() {
            private boolean snapshotDone = snapshot == null;
            private boolean snapshotCompleteSent = snapshot == null;
            /** The frontier just past the last delivered time, to report before reading on; -1 when nothing is owed. */
            private long owedProgress = -1;
            /** Updates read from the subscription to learn whether it is behind, not handed on yet. */
            private SubscriptionEvent.Updates pending;

            @Override
            public Event poll(Duration timeout) throws InterruptedException {
                if (!snapshotDone) {
                    List<Update> batch = new ArrayList<>(SNAPSHOT_BATCH);
                    while (batch.size() < SNAPSHOT_BATCH && snapshot.hasNext()) {
                        RowCount row = snapshot.next();
                        batch.add(new Update(row.row(), asOf, row.count()));
                    }
                    if (!snapshot.hasNext()) {
                        snapshot.close();
                        snapshotDone = true;
                    }
                    if (!batch.isEmpty()) {
                        return new Event.Data(batch);
                    }
                }
                if (!snapshotCompleteSent) {
                    // A snapshot as of asOf is every update at or before asOf (asOf was below the upper when it was taken):
                    // the sink may commit it now instead of waiting for the next upper advance, up to a tick on an idle table.
                    snapshotCompleteSent = true;
                    return new Event.Progress(asOf + 1);
                }
                if (owedProgress >= 0) {
                    // A subscription delivers whole times in time order: once one is handed on, every update before its
                    // time + 1 is. Saying so lets the sink commit while later writes are still being read (Behind),
                    // instead of only once the subscription has caught up with the table's upper (Progress).
                    long upper = owedProgress;
                    owedProgress = -1;
                    SubscriptionEvent next = subscription.poll(Duration.ZERO);
                    if (next instanceof SubscriptionEvent.Updates updates) {
                        pending = updates;
                        return new Event.Behind(upper);
                    }
                    return new Event.Progress(next instanceof SubscriptionEvent.Progress progress ? progress.upper() : upper);
                }
                SubscriptionEvent event = pending != null ? pending : subscription.poll(timeout);
                pending = null;
                if (event instanceof SubscriptionEvent.Updates updates) {
                    owedProgress = updates.time() + 1;
                    return new Event.Data(updates.updates());
                }
                if (event instanceof SubscriptionEvent.Progress progress) {
                    return new Event.Progress(progress.upper());
                }
                return null;
            }

            @Override
            public void close() {
                if (snapshot != null) {
                    snapshot.close();
                }
                subscription.close();
            }
        };
    }

    @Override
    public void downgradeHold(long frontier) {
        hold.downgrade(frontier - 1);
    }
}
