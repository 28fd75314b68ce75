package dev.sluice.storage.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory state of one collection, multi-versioned so that readers never copy it and never
 * block the writer.
 *
 * <p>Every distinct row maps to an immutable chain of versions, newest first, each the row's
 * multiplicity from that time on. A commit at time {@code t} pushes a version at {@code t}; a read
 * as of {@code asOf} takes each row's newest version at or before {@code asOf}. Compaction to
 * {@code since} cuts each touched chain after its newest version at or before {@code since}
 * (dropping it too when its count is zero), so history before {@code since} is folded in place.
 * {@code history} keeps the updates of each retained timestamp after {@code since} for subscribers.
 *
 * <p>Why concurrent readers are safe: a reader registers its time (a read hold, see
 * {@link #registerReader}) before it starts, and compaction never passes a registered time, so
 * every version a reader needs stays in its chain. Iteration over the row map is weakly
 * consistent: a row added meanwhile only has versions after the reader's time (commits get
 * timestamps at or above the upper, which is above every readable time), and a row removed
 * meanwhile had multiplicity zero at the reader's time.
 *
 * <p>Threading: {@link #apply} and {@link #compact} are called by one thread at a time (the storage
 * writer); the read methods may be called from any thread.
 */
public final class VersionedCollection {
    /** A row's multiplicity from {@code time} on; {@code older} is the previous version. */
    private record Version(long time, long count, Version older) {
    }

    private final String id;
    private final RelationDesc desc;
    private final ConcurrentHashMap<Row, Version> rows = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, List<Update>> history = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Long, Long> readers = new ConcurrentHashMap<>();
    private final List<Integer> keyColumns;
    private final Optional<ConcurrentHashMap<Row, Row>> latestByKey;
    private volatile long since;

    private static final AtomicLong READER_IDS = new AtomicLong();

    public VersionedCollection(String id, RelationDesc desc, long since) {
        this.id = requireNonNull(id, "id is null");
        this.desc = requireNonNull(desc, "desc is null");
        this.since = since;
        this.keyColumns = desc.uniqueKeys().isEmpty() ? List.of() : desc.uniqueKeys().get(0);
        this.latestByKey = keyColumns.isEmpty() ? Optional.empty() : Optional.of(new ConcurrentHashMap<>());
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

    public boolean hasKey() {
        return latestByKey.isPresent();
    }

    /** Applies the updates of one timestamp, later than every earlier one; {@code updates} must not change afterwards. */
    public void apply(long time, List<Update> updates) {
        for (Update update : updates) {
            applyRow(time, update.row(), update.diff());
        }
        if (!updates.isEmpty()) {
            history.put(time, Collections.unmodifiableList(updates));
        }
    }

    /** Loads a consolidated row of a checkpoint (its state as of {@code since}); no history. */
    public void load(Row row, long count) {
        applyRow(since, row, count);
    }

    private void applyRow(long time, Row row, long diff) {
        Version head = rows.get(row);
        Version next;
        if (head != null && head.time() == time) {
            next = new Version(time, head.count() + diff, head.older());
        } else {
            next = new Version(time, (head == null ? 0 : head.count()) + diff, head);
        }
        rows.put(row, next);
        if (latestByKey.isPresent()) {
            Row key = row.project(keyColumns);
            if (next.count() > 0 && diff > 0) {
                latestByKey.get().put(key, row);
            } else if (next.count() <= 0) {
                latestByKey.get().remove(key, row);
            }
        }
    }

    /** Moves {@code since} forward; the caller guarantees no reader needs an earlier time. History is folded by {@link #foldHistory}. */
    public void advanceSince(long newSince) {
        if (newSince > since) {
            since = newSince;
        }
    }

    /** Folds all history at or before {@code since} into the versions as of {@code since}. */
    public void foldHistory() {
        long target = since;
        NavigableMap<Long, List<Update>> folded = history.headMap(target, true);
        Set<Row> touched = new HashSet<>();
        for (List<Update> updates : folded.values()) {
            for (Update update : updates) {
                touched.add(update.row());
            }
        }
        for (Row row : touched) {
            trim(row, target);
        }
        folded.clear();
    }

    /** {@link #advanceSince} and {@link #foldHistory} in one. */
    public void compact(long newSince) {
        advanceSince(newSince);
        foldHistory();
    }

    private void trim(Row row, long newSince) {
        Version head = rows.get(row);
        if (head == null) {
            return;
        }
        // Versions after newSince stay; of the rest only the newest matters, and not even that when it is zero.
        List<Version> newer = new ArrayList<>();
        Version version = head;
        while (version != null && version.time() > newSince) {
            newer.add(version);
            version = version.older();
        }
        if (version == null || (version.older() == null && version.count() != 0)) {
            return;
        }
        Version rebuilt = version.count() == 0 ? null : new Version(version.time(), version.count(), null);
        for (int i = newer.size() - 1; i >= 0; i--) {
            Version kept = newer.get(i);
            rebuilt = new Version(kept.time(), kept.count(), rebuilt);
        }
        if (rebuilt == null) {
            rows.remove(row, head);
        } else {
            rows.put(row, rebuilt);
        }
    }

    /** The number of distinct rows in memory (all versions); for tests and statistics. */
    public int distinctRows() {
        return rows.size();
    }

    /** Registers a reader at {@code time}: compaction will not pass it until {@link #moveReader} or {@link #unregisterReader}. */
    public long registerReader(long time) {
        long readerId = READER_IDS.incrementAndGet();
        readers.put(readerId, time);
        return readerId;
    }

    public void moveReader(long readerId, long time) {
        readers.replace(readerId, time);
    }

    public void unregisterReader(long readerId) {
        readers.remove(readerId);
    }

    /** The earliest time a registered reader needs, or {@code Long.MAX_VALUE}. */
    public long earliestReader() {
        long earliest = Long.MAX_VALUE;
        for (long time : readers.values()) {
            earliest = Math.min(earliest, time);
        }
        return earliest;
    }

    /** The consolidated rows as of {@code asOf}; the caller holds a reader at or before {@code asOf}. */
    public Iterator<Map.Entry<Row, Long>> read(long asOf) {
        Iterator<Map.Entry<Row, Version>> entries = rows.entrySet().iterator();
        return new Iterator<>() {
            private Map.Entry<Row, Long> next;

            @Override
            public boolean hasNext() {
                while (next == null && entries.hasNext()) {
                    Map.Entry<Row, Version> entry = entries.next();
                    Version version = entry.getValue();
                    while (version != null && version.time() > asOf) {
                        version = version.older();
                    }
                    if (version != null && version.count() > 0) {
                        next = Map.entry(entry.getKey(), version.count());
                    }
                }
                return next != null;
            }

            @Override
            public Map.Entry<Row, Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<Row, Long> result = next;
                next = null;
                return result;
            }
        };
    }

    /** The first retained timestamp after {@code time} with its updates, if any. */
    public Optional<Map.Entry<Long, List<Update>>> historyAfter(long time) {
        return Optional.ofNullable(history.higherEntry(time));
    }

    /** The retained updates with times in {@code (from, to]}, in time order. */
    public NavigableMap<Long, List<Update>> history(long from, long to) {
        if (to <= from) {
            return Collections.emptyNavigableMap();
        }
        return history.subMap(from, false, to, true);
    }

    public Optional<Row> lookupByKey(Row key) {
        return latestByKey.map(index -> index.get(key));
    }
}
