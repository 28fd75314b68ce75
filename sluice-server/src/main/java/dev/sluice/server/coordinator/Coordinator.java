package dev.sluice.server.coordinator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.Comment;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.ddl.Planner;
import dev.sluice.server.system.SinkObservations;
import dev.sluice.server.system.SystemCatalog;
import dev.sluice.storage.ReadPin;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.WriteBatch;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the catalog and serialises every change: DDL statements and write transactions take the
 * coordinator's lock, become one durable storage batch, and only then become visible. Reads need
 * no lock: they use the current catalog snapshot and storage snapshots.
 */
public final class Coordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final Storage storage;
    private final SystemCatalog systemCatalog = new SystemCatalog();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Long> lastWriteTime = new ConcurrentHashMap<>();
    private final Planner planner;
    private volatile Catalog catalog;
    private volatile SinkObservations sinkObservations = SinkObservations.NONE;

    private Coordinator(Storage storage, Planner planner) {
        this.storage = storage;
        this.planner = planner;
    }

    /** Loads (or creates) the catalog; {@code environmentIdFlag} applies only to a new data directory. */
    public static Coordinator open(Storage storage, Planner planner, Optional<String> environmentIdFlag) {
        Coordinator coordinator = new Coordinator(storage, planner);
        coordinator.load(environmentIdFlag);
        return coordinator;
    }

    private void load(Optional<String> environmentIdFlag) {
        if (!storage.exists(StoredItem.COLLECTION_ID)) {
            String environmentId = environmentIdFlag.orElseGet(() -> Ids.newEnvironmentId(new SecureRandom()));
            ObjectNode body = StoredItem.newBody();
            body.put("environment_id", environmentId);
            WriteBatch batch = new WriteBatch().create(StoredItem.COLLECTION_ID, StoredItem.DESC)
                    .add(StoredItem.COLLECTION_ID, new StoredItem(StoredItem.META_ID, "meta", body).toRow(), 1);
            storage.commit(batch);
            catalog = Catalog.empty(environmentId);
            LOG.info("new data directory: environment id {}", environmentId);
            return;
        }
        List<StoredItem> items = new ArrayList<>();
        try (SnapshotCursor cursor = storage.snapshot(StoredItem.COLLECTION_ID, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                RowCount row = cursor.next();
                items.add(StoredItem.fromRow(row.row()));
            }
        }
        StoredItem meta = items.stream().filter(item -> item.id().equals(StoredItem.META_ID)).findFirst()
                .orElseThrow(() -> SluiceException.internal(new IllegalStateException("catalog has no meta row")));
        String environmentId = meta.text("environment_id");
        if (environmentIdFlag.isPresent() && !environmentIdFlag.get().equals(environmentId)) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE,
                    "--environment-id %s differs from %s, the environment id this data directory was created with", environmentIdFlag.get(),
                    environmentId).withHint("The environment id names progress topics and transactional ids; it cannot change. "
                            + "Omit the flag or pass the stored value.");
        }
        Catalog loaded = Catalog.empty(environmentId).withNextId(meta.body().path("next_id").asLong(1));
        items.removeIf(item -> item.id().equals(StoredItem.META_ID));
        List<StoredItem> comments = items.stream().filter(item -> item.kind().equals(Comment.KIND)).toList();
        items.removeIf(item -> item.kind().equals(Comment.KIND));
        items.sort(Comparator.comparingLong(item -> Long.parseLong(item.id().substring(1))));
        for (StoredItem item : items) {
            loaded = loaded.with(planner.replan(loaded, item));
        }
        for (StoredItem comment : comments) {
            loaded = loaded.withComment(Comment.fromStored(comment));
        }
        catalog = loaded;
        LOG.info("catalog loaded: {} objects, environment id {}", items.size(), environmentId);
    }

    public Storage storage() {
        return storage;
    }

    public Catalog catalog() {
        return catalog;
    }

    public SystemCatalog systemCatalog() {
        return systemCatalog;
    }

    public Planner planner() {
        return planner;
    }

    public SinkObservations sinkObservations() {
        return sinkObservations;
    }

    public void setSinkObservations(SinkObservations observations) {
        this.sinkObservations = requireNonNull(observations, "observations is null");
    }

    /** The timestamp reads use: the latest complete one, so a client reads its own writes. */
    public long readTimestamp() {
        return storage.upper() - 1;
    }

    /** The latest read time, pinned against compaction until the caller closes the pin (see {@link Storage#pinLatestReadTime}). */
    public ReadPin pinReadTime() {
        return storage.pinLatestReadTime();
    }

    /** A DDL change computed from the current catalog under the lock. */
    @FunctionalInterface
    public interface DdlTask {
        DdlResult plan(Catalog current);
    }

    /** The outcome of planning a DDL statement: the catalog after it and the storage batch that makes it durable. */
    public record DdlResult(Catalog newCatalog, WriteBatch batch, List<Runnable> afterCommit, Optional<String> notice) {
        public DdlResult {
            requireNonNull(newCatalog, "newCatalog is null");
            requireNonNull(batch, "batch is null");
            afterCommit = List.copyOf(afterCommit);
            requireNonNull(notice, "notice is null");
        }

        public static DdlResult noop(Catalog catalog, String notice) {
            return new DdlResult(catalog, new WriteBatch(), List.of(), Optional.of(notice));
        }
    }

    /** Runs a DDL statement: plan, commit durably, publish the new catalog, run follow-ups. */
    public DdlResult ddl(DdlTask task) {
        lock.lock();
        try {
            Catalog before = catalog;
            DdlResult result = task.plan(before);
            if (!result.batch().isEmpty()) {
                if (result.newCatalog().nextIdNumber() != before.nextIdNumber()) {
                    ObjectNode body = StoredItem.newBody();
                    body.put("environment_id", before.environmentId());
                    body.put("next_id", before.nextIdNumber());
                    ObjectNode updated = StoredItem.newBody();
                    updated.put("environment_id", before.environmentId());
                    updated.put("next_id", result.newCatalog().nextIdNumber());
                    Row oldMeta = metaRow(before);
                    result.batch().add(StoredItem.COLLECTION_ID, oldMeta, -1);
                    result.batch().add(StoredItem.COLLECTION_ID, new StoredItem(StoredItem.META_ID, "meta", updated).toRow(), 1);
                }
                storage.commit(result.batch());
            }
            catalog = result.newCatalog();
            for (Runnable action : result.afterCommit()) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("follow-up of a DDL statement failed", e);
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private Row metaRow(Catalog before) {
        // The meta row as stored: written at creation without next_id, later always with it.
        try (SnapshotCursor cursor = storage.snapshot(StoredItem.COLLECTION_ID, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                Row row = cursor.next().row();
                if (StoredItem.META_ID.equals(row.get(0))) {
                    return row;
                }
            }
        }
        throw SluiceException.internal(new IllegalStateException("catalog has no meta row for " + before.environmentId()));
    }

    /**
     * Commits a write transaction. Changes computed from a table as of an earlier time fail with a
     * serialization error if the table changed since; primary keys are checked against the current
     * state under the lock.
     */
    public long commitWrites(PendingWrites writes) {
        lock.lock();
        try {
            Catalog current = catalog;
            for (Map.Entry<String, Long> read : writes.readTables().entrySet()) {
                Long changed = lastWriteTime.get(read.getKey());
                if (changed != null && changed > read.getValue()) {
                    throw new SluiceException(ErrorCode.SERIALIZATION_FAILURE, "could not serialize access due to concurrent update")
                            .withHint("Retry the transaction.");
                }
            }
            WriteBatch batch = new WriteBatch();
            for (String tableId : writes.tables()) {
                Optional<CatalogItem> item = current.byId(tableId);
                if (item.isEmpty() || !(item.get() instanceof TableItem table)) {
                    throw SluiceException.of(ErrorCode.UNDEFINED_TABLE, "table %s was dropped during the transaction", tableId);
                }
                Map<Row, Long> changes = writes.changes(tableId);
                Constraints.checkPrimaryKey(storage, table, changes);
                changes.forEach((row, diff) -> batch.add(tableId, row, diff));
            }
            if (batch.isEmpty()) {
                return readTimestamp();
            }
            long time = storage.commit(batch);
            for (String tableId : writes.tables()) {
                lastWriteTime.put(tableId, time);
            }
            return time;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} under the write lock (autocommit statements read and write atomically). */
    public <T> T underLock(java.util.function.Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
