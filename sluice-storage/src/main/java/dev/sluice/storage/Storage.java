package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import dev.sluice.storage.internal.CollectionState;
import dev.sluice.storage.internal.DescCodec;
import dev.sluice.storage.internal.RowCodec;
import dev.sluice.storage.internal.Wal;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable timestamped collections with one write-ahead log for all of them.
 *
 * <p>A commit gets a fresh timestamp from the oracle ({@code max(clock, last + 1, upper)}), is
 * appended to the log and synced, and only then applied to memory and acknowledged; concurrent
 * commits share one sync. After a crash, recovery replays the checkpoint and the log and drops a
 * torn tail, so every acknowledged batch is whole and no batch is partial. An idle storage still
 * advances its upper every tick, durably, so a timestamp handed out after a restart is never below
 * an upper a reader has seen.
 *
 * <p>Thread-safe. One writer thread does all log I/O; readers take the lock briefly.
 */
public final class Storage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    private static final byte COMMIT = 1;
    private static final byte UPPER = 2;
    private static final byte HOLD = 3;

    private final Path directory;
    private final StorageOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<String, CollectionState> collections = new LinkedHashMap<>();
    private final Map<String, HoldState> holds = new HashMap<>();
    private final Map<Long, SubscriptionImpl> subscriptions = new HashMap<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread writer;
    private Wal wal;
    private long walGeneration;
    private long lastTimestamp;
    private volatile long upper;
    private long nextSubscriptionId;
    private volatile boolean closed;
    private volatile Throwable failure;
    private long lastCompaction;

    private static final class HoldState {
        final String name;
        final String collection;
        long time;
        long durableTime;

        HoldState(String name, String collection, long time, long durableTime) {
            this.name = name;
            this.collection = collection;
            this.time = time;
            this.durableTime = durableTime;
        }
    }

    private record Request(WriteBatch batch, String holdName, String holdCollection, long holdTime, CompletableFuture<Long> done) {
    }

    private Storage(Path directory, StorageOptions options) {
        this.directory = directory;
        this.options = options;
        this.writer = new Thread(this::runWriter, "storage-writer");
        this.writer.setDaemon(true);
    }

    /** Opens (creating) the storage in {@code directory}, recovering its state from disk. */
    public static Storage open(Path directory, StorageOptions options) {
        requireNonNull(directory, "directory is null");
        requireNonNull(options, "options is null");
        Storage storage = new Storage(directory, options);
        try {
            storage.recover();
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.IO_ERROR, "cannot open storage in " + directory + ": " + e.getMessage(), e);
        }
        storage.writer.start();
        return storage;
    }

    // ------------------------------------------------------------------ writes

    /** Applies {@code batch} atomically at a new timestamp; returns it once durable. */
    public long commit(WriteBatch batch) {
        requireNonNull(batch, "batch is null");
        lock.lock();
        try {
            checkOpen();
            Set<String> pending = new TreeSet<>(collections.keySet());
            pending.removeAll(batch.drops());
            for (String created : batch.creates().keySet()) {
                if (!pending.add(created)) {
                    throw SluiceException.internal(new IllegalStateException("collection " + created + " already exists"));
                }
            }
            for (WriteBatch.Change change : batch.changes()) {
                if (!pending.contains(change.collection())) {
                    throw SluiceException.internal(new IllegalStateException("unknown collection " + change.collection()));
                }
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        requests.add(new Request(batch, null, null, 0, done));
        return await(done);
    }

    private long await(CompletableFuture<Long> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SluiceException sluiceException) {
                throw sluiceException;
            }
            throw new SluiceException(ErrorCode.IO_ERROR, "storage write failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void runWriter() {
        long lastTick = options.clock().millis();
        while (!closed) {
            try {
                Request first = requests.poll(options.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
                List<Request> drained = new ArrayList<>();
                if (first != null) {
                    drained.add(first);
                    requests.drainTo(drained);
                }
                long now = options.clock().millis();
                if (drained.isEmpty() && now - lastTick < options.tickInterval().toMillis()) {
                    continue;
                }
                writeCycle(drained, now);
                lastTick = now;
                maybeCompactAndCheckpoint(now);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("storage writer failed; refusing further writes", e);
                failure = e;
                failAll(e);
                break;
            }
        }
    }

    private void failAll(Throwable cause) {
        List<Request> drained = new ArrayList<>();
        requests.drainTo(drained);
        drained.forEach(request -> request.done().completeExceptionally(cause));
    }

    private void writeCycle(List<Request> drained, long now) throws IOException {
        List<long[]> assigned = new ArrayList<>();
        long timestamp = lastTimestamp;
        boolean commits = false;
        for (Request request : drained) {
            if (request.batch() == null) {
                wal.append(holdRecord(request.holdName(), request.holdCollection(), request.holdTime()));
                continue;
            }
            timestamp = Math.max(Math.max(now, timestamp + 1), upper);
            wal.append(commitRecord(timestamp, request.batch()));
            assigned.add(new long[] {timestamp});
            commits = true;
        }
        long newUpper = commits ? timestamp + 1 : Math.max(upper, now);
        if (!commits && newUpper > upper) {
            wal.append(upperRecord(newUpper));
        }
        if (options.fsync()) {
            wal.sync();
        }
        lock.lock();
        try {
            int next = 0;
            for (Request request : drained) {
                if (request.batch() == null) {
                    HoldState hold = holds.get(request.holdName());
                    if (hold != null && hold.durableTime < request.holdTime()) {
                        hold.durableTime = request.holdTime();
                    }
                    continue;
                }
                long time = assigned.get(next++)[0];
                apply(time, request.batch());
                lastTimestamp = time;
            }
            upper = Math.max(upper, newUpper);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        next(drained, assigned);
    }

    private static void next(List<Request> drained, List<long[]> assigned) {
        int next = 0;
        for (Request request : drained) {
            if (request.batch() == null) {
                request.done().complete(0L);
            } else {
                request.done().complete(assigned.get(next++)[0]);
            }
        }
    }

    private void apply(long time, WriteBatch batch) {
        for (String dropped : batch.drops()) {
            collections.remove(dropped);
            holds.values().removeIf(hold -> hold.collection.equals(dropped));
        }
        for (Map.Entry<String, RelationDesc> created : batch.creates().entrySet()) {
            collections.put(created.getKey(), new CollectionState(created.getKey(), created.getValue(), time));
        }
        Map<String, List<Update>> byCollection = new LinkedHashMap<>();
        for (WriteBatch.Change change : batch.changes()) {
            byCollection.computeIfAbsent(change.collection(), ignored -> new ArrayList<>()).add(new Update(change.row(), time, change.diff()));
        }
        byCollection.forEach((id, updates) -> collections.get(id).append(time, updates));
    }

    private static byte[] commitRecord(long timestamp, WriteBatch batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(COMMIT);
        out.writeLong(timestamp);
        out.writeInt(batch.creates().size());
        for (Map.Entry<String, RelationDesc> created : batch.creates().entrySet()) {
            out.writeUTF(created.getKey());
            DescCodec.write(out, created.getValue());
        }
        out.writeInt(batch.drops().size());
        for (String dropped : batch.drops()) {
            out.writeUTF(dropped);
        }
        out.writeInt(batch.changes().size());
        for (WriteBatch.Change change : batch.changes()) {
            out.writeUTF(change.collection());
            RowCodec.writeRow(out, change.row());
            out.writeLong(change.diff());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] upperRecord(long newUpper) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(UPPER);
        out.writeLong(newUpper);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] holdRecord(String name, String collection, long time) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(HOLD);
        out.writeUTF(name);
        out.writeUTF(collection);
        out.writeLong(time);
        out.flush();
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ recovery and checkpoints

    private void recover() throws IOException {
        Files.createDirectories(directory);
        Path checkpoint = directory.resolve("checkpoint.bin");
        walGeneration = 0;
        if (Files.exists(checkpoint)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(checkpoint)))) {
                walGeneration = in.readLong();
                lastTimestamp = in.readLong();
                upper = in.readLong();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    String id = in.readUTF();
                    RelationDesc desc = DescCodec.read(in);
                    CollectionState state = new CollectionState(id, desc, in.readLong());
                    long rows = in.readLong();
                    for (long r = 0; r < rows; r++) {
                        state.loadBase(RowCodec.readRow(in), in.readLong());
                    }
                    int batches = in.readInt();
                    for (int b = 0; b < batches; b++) {
                        long time = in.readLong();
                        int size = in.readInt();
                        List<Update> updates = new ArrayList<>(size);
                        for (int u = 0; u < size; u++) {
                            updates.add(new Update(RowCodec.readRow(in), time, in.readLong()));
                        }
                        state.append(time, updates);
                    }
                    collections.put(id, state);
                }
                int holdCount = in.readInt();
                for (int i = 0; i < holdCount; i++) {
                    String name = in.readUTF();
                    String collection = in.readUTF();
                    long time = in.readLong();
                    holds.put(name, new HoldState(name, collection, time, time));
                }
            }
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(directory)) {
            logs = files.filter(path -> path.getFileName().toString().matches("wal-\\d+\\.log")).sorted().toList();
        }
        for (Path log : logs) {
            long generation = Long.parseLong(log.getFileName().toString().replaceAll("\\D", ""));
            if (generation < walGeneration) {
                Files.deleteIfExists(log);
                continue;
            }
            List<byte[]> records = new ArrayList<>();
            Wal.open(log, records).close();
            for (byte[] record : records) {
                replay(record);
            }
            walGeneration = Math.max(walGeneration, generation);
        }
        wal = Wal.open(walPath(walGeneration), new ArrayList<>());
        upper = Math.max(upper, lastTimestamp + 1);
        for (CollectionState state : collections.values()) {
            state.compact(Math.max(state.since(), minimumHold(state.id(), upper - 1)));
        }
        lastCompaction = options.clock().millis();
    }

    private Path walPath(long generation) {
        return directory.resolve(String.format(java.util.Locale.ROOT, "wal-%012d.log", generation));
    }

    private void replay(byte[] record) throws IOException {
        DataInputStream in = Wal.reader(record);
        byte type = in.readByte();
        switch (type) {
            case COMMIT -> {
                long time = in.readLong();
                WriteBatch batch = new WriteBatch();
                int creates = in.readInt();
                for (int i = 0; i < creates; i++) {
                    batch.create(in.readUTF(), DescCodec.read(in));
                }
                int drops = in.readInt();
                for (int i = 0; i < drops; i++) {
                    batch.drop(in.readUTF());
                }
                int changes = in.readInt();
                for (int i = 0; i < changes; i++) {
                    batch.add(in.readUTF(), RowCodec.readRow(in), in.readLong());
                }
                apply(time, batch);
                lastTimestamp = time;
                upper = Math.max(upper, time + 1);
            }
            case UPPER -> upper = Math.max(upper, in.readLong());
            case HOLD -> {
                String name = in.readUTF();
                String collection = in.readUTF();
                long time = in.readLong();
                if (time < 0) {
                    holds.remove(name);
                } else {
                    holds.put(name, new HoldState(name, collection, time, time));
                }
            }
            default -> throw new IOException("unknown log record type " + type);
        }
    }

    private void maybeCompactAndCheckpoint(long now) throws IOException {
        if (now - lastCompaction >= 1000) {
            lastCompaction = now;
            lock.lock();
            try {
                for (CollectionState state : collections.values()) {
                    long target = minimumHold(state.id(), upper - 1);
                    if (target > state.since()) {
                        state.compact(target);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        if (wal.size() >= options.checkpointBytes()) {
            checkpoint();
        }
    }

    /** The earliest time some reader still needs, capped by {@code cap}; only durable hold values count. */
    private long minimumHold(String collection, long cap) {
        long minimum = cap;
        for (HoldState hold : holds.values()) {
            if (hold.collection.equals(collection)) {
                minimum = Math.min(minimum, hold.durableTime);
            }
        }
        for (SubscriptionImpl subscription : subscriptions.values()) {
            if (subscription.collection.equals(collection)) {
                minimum = Math.min(minimum, subscription.position + 1);
            }
        }
        return minimum;
    }

    private void checkpoint() throws IOException {
        long nextGeneration = walGeneration + 1;
        Path temporary = directory.resolve("checkpoint.tmp");
        lock.lock();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
            out.writeLong(nextGeneration);
            out.writeLong(lastTimestamp);
            out.writeLong(upper);
            out.writeInt(collections.size());
            for (CollectionState state : collections.values()) {
                out.writeUTF(state.id());
                DescCodec.write(out, state.desc());
                out.writeLong(state.since());
                out.writeLong(state.base().size());
                for (Map.Entry<Row, Long> entry : state.base().entrySet()) {
                    RowCodec.writeRow(out, entry.getKey());
                    out.writeLong(entry.getValue());
                }
                out.writeInt(state.history().size());
                for (CollectionState.Batch batch : state.history()) {
                    out.writeLong(batch.time());
                    out.writeInt(batch.updates().size());
                    for (Update update : batch.updates()) {
                        RowCodec.writeRow(out, update.row());
                        out.writeLong(update.diff());
                    }
                }
            }
            out.writeInt(holds.size());
            for (HoldState hold : holds.values()) {
                out.writeUTF(hold.name);
                out.writeUTF(hold.collection);
                out.writeLong(hold.durableTime);
            }
        } finally {
            lock.unlock();
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, directory.resolve("checkpoint.bin"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        Wal previous = wal;
        wal = Wal.open(walPath(nextGeneration), new ArrayList<>());
        syncDirectory();
        previous.close();
        Files.deleteIfExists(previous.path());
        walGeneration = nextGeneration;
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("directory sync not supported", e);
        }
    }

    // ------------------------------------------------------------------ reads

    /** Every update before this time is known; a new commit gets a timestamp at or above it. */
    public long upper() {
        return upper;
    }

    public Set<String> collections() {
        lock.lock();
        try {
            return Set.copyOf(collections.keySet());
        } finally {
            lock.unlock();
        }
    }

    public boolean exists(String id) {
        lock.lock();
        try {
            return collections.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    public RelationDesc desc(String id) {
        lock.lock();
        try {
            return state(id).desc();
        } finally {
            lock.unlock();
        }
    }

    public long since(String id) {
        lock.lock();
        try {
            return state(id).since();
        } finally {
            lock.unlock();
        }
    }

    /** The current row whose first unique key columns equal {@code key}. */
    public Optional<Row> lookupByKey(String id, Row key) {
        lock.lock();
        try {
            return state(id).lookupByKey(key);
        } finally {
            lock.unlock();
        }
    }

    /** The consolidated contents as of {@code asOf} ({@code since <= asOf < upper}), streamed. */
    public SnapshotCursor snapshot(String id, long asOf) {
        Map<Row, Long> base;
        List<CollectionState.Batch> history;
        lock.lock();
        try {
            CollectionState state = state(id);
            if (asOf < state.since() || asOf >= upper) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: collection %s is not readable at %d (since %d, upper %d)",
                        id, asOf, state.since(), upper);
            }
            base = state.base();
            history = state.history();
        } finally {
            lock.unlock();
        }
        Map<Row, Long> delta = new HashMap<>();
        for (CollectionState.Batch batch : history) {
            if (batch.time() > asOf) {
                break;
            }
            for (Update update : batch.updates()) {
                delta.merge(update.row(), update.diff(), (a, b) -> a + b == 0 ? null : a + b);
            }
        }
        return new SnapshotIterator(base, delta);
    }

    private static final class SnapshotIterator implements SnapshotCursor {
        private final Map<Row, Long> delta;
        private Iterator<Map.Entry<Row, Long>> baseIterator;
        private Iterator<Map.Entry<Row, Long>> deltaIterator;
        private RowCount next;

        SnapshotIterator(Map<Row, Long> base, Map<Row, Long> delta) {
            this.delta = delta;
            this.baseIterator = base.entrySet().iterator();
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (baseIterator != null) {
                    if (baseIterator.hasNext()) {
                        Map.Entry<Row, Long> entry = baseIterator.next();
                        Long change = delta.remove(entry.getKey());
                        long count = entry.getValue() + (change == null ? 0 : change);
                        if (count > 0) {
                            next = new RowCount(entry.getKey(), count);
                        }
                        continue;
                    }
                    baseIterator = null;
                    deltaIterator = delta.entrySet().iterator();
                }
                if (!deltaIterator.hasNext()) {
                    return false;
                }
                Map.Entry<Row, Long> entry = deltaIterator.next();
                if (entry.getValue() > 0) {
                    next = new RowCount(entry.getKey(), entry.getValue());
                }
            }
            return true;
        }

        @Override
        public RowCount next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RowCount result = next;
            next = null;
            return result;
        }

        @Override
        public void close() {
            baseIterator = null;
            deltaIterator = java.util.Collections.emptyIterator();
        }
    }

    /** The changes of {@code id} after {@code asOf}, in time order, with upper advances. */
    public Subscription subscribe(String id, long asOf) {
        lock.lock();
        try {
            CollectionState state = state(id);
            if (asOf + 1 < state.since()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: collection %s compacted past %d (since %d)", id, asOf,
                        state.since());
            }
            SubscriptionImpl subscription = new SubscriptionImpl(nextSubscriptionId++, id, asOf);
            subscriptions.put(subscription.id, subscription);
            return subscription;
        } finally {
            lock.unlock();
        }
    }

    private final class SubscriptionImpl implements Subscription {
        final long id;
        final String collection;
        long position;
        long reportedUpper;

        SubscriptionImpl(long id, String collection, long position) {
            this.id = id;
            this.collection = collection;
            this.position = position;
            this.reportedUpper = position + 1;
        }

        @Override
        public SubscriptionEvent poll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            lock.lock();
            try {
                while (true) {
                    if (!subscriptions.containsKey(id)) {
                        throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: subscription closed");
                    }
                    CollectionState state = collections.get(collection);
                    if (state == null) {
                        throw SluiceException.of(ErrorCode.UNDEFINED_TABLE, "collection %s was dropped", collection);
                    }
                    for (CollectionState.Batch batch : state.history()) {
                        if (batch.time() > position) {
                            position = batch.time();
                            return new SubscriptionEvent.Updates(batch.time(), batch.updates());
                        }
                    }
                    if (upper > reportedUpper) {
                        reportedUpper = upper;
                        position = Math.max(position, upper - 1);
                        return new SubscriptionEvent.Progress(upper);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || closed) {
                        return null;
                    }
                    advanced.awaitNanos(remaining);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                subscriptions.remove(id);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Takes (or replaces) the durable hold {@code name} on {@code collection} at {@code time}. */
    public ReadHold acquireHold(String name, String collection, long time) {
        lock.lock();
        try {
            CollectionState state = state(collection);
            if (time < state.since()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: cannot hold %s at %d, already compacted to %d", collection,
                        time, state.since());
            }
            holds.put(name, new HoldState(name, collection, time, Math.min(time, state.since())));
        } finally {
            lock.unlock();
        }
        enqueueHold(name, collection, time);
        return new Hold(name, collection);
    }

    /** The durable hold {@code name}, if one survived. */
    public Optional<ReadHold> hold(String name) {
        lock.lock();
        try {
            HoldState state = holds.get(name);
            return state == null ? Optional.empty() : Optional.of(new Hold(name, state.collection));
        } finally {
            lock.unlock();
        }
    }

    private void enqueueHold(String name, String collection, long time) {
        requests.add(new Request(null, name, collection, time, new CompletableFuture<>()));
    }

    private final class Hold implements ReadHold {
        private final String name;
        private final String collection;

        Hold(String name, String collection) {
            this.name = name;
            this.collection = collection;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String collection() {
            return collection;
        }

        @Override
        public long time() {
            lock.lock();
            try {
                HoldState state = holds.get(name);
                return state == null ? -1 : state.time;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void downgrade(long newTime) {
            lock.lock();
            try {
                HoldState state = holds.get(name);
                if (state == null || newTime <= state.time) {
                    return;
                }
                state.time = newTime;
            } finally {
                lock.unlock();
            }
            enqueueHold(name, collection, newTime);
        }

        @Override
        public void release() {
            lock.lock();
            try {
                holds.remove(name);
            } finally {
                lock.unlock();
            }
            enqueueHold(name, collection, -1);
        }
    }

    private CollectionState state(String id) {
        CollectionState state = collections.get(id);
        if (state == null) {
            throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: unknown collection %s", id);
        }
        return state;
    }

    private void checkOpen() {
        if (closed) {
            throw new SluiceException(ErrorCode.ADMIN_SHUTDOWN, "storage is closed");
        }
        if (failure != null) {
            throw new SluiceException(ErrorCode.IO_ERROR, "storage failed earlier: " + failure.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        failAll(new SluiceException(ErrorCode.ADMIN_SHUTDOWN, "storage is closed"));
        try {
            wal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
