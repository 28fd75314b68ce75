package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import dev.sluice.storage.internal.Checkpoint;
import dev.sluice.storage.internal.LogRecord;
import dev.sluice.storage.internal.VersionedCollection;
import dev.sluice.storage.internal.WalSegment;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable timestamped collections with one write-ahead log for all of them.
 *
 * <h2>Writes</h2>
 * One writer thread owns the log. It drains every queued request, gives each commit a fresh timestamp from the oracle
 * ({@code max(clock, last + 1, upper)}), appends all their records with one write, syncs once (group commit), then
 * applies them to memory, advances the shared upper to {@code last + 1} and acknowledges each commit with its own
 * timestamp. A batch is one log record, so after a crash it is there whole or not at all. Every tick (at most a
 * second) the writer also advances an idle upper to the clock with a tiny durable record (so a timestamp handed out
 * after a restart is never below an upper a reader saw), compacts, and starts a checkpoint when the log has grown.
 *
 * <h2>Reads</h2>
 * Collections are multi-versioned in memory ({@link VersionedCollection}): a snapshot reads the live state as of its
 * time without copying it, and holds {@code since} there until closed. Compaction folds history older than the
 * earliest of {@code upper - 1}, durable read holds, open subscriptions and open snapshots.
 *
 * <h2>Files</h2>
 * {@code wal-<generation>.log} segments ({@link WalSegment}) and one {@code checkpoint.bin} ({@link Checkpoint}) that
 * names the first segment to replay. A checkpoint cuts the log at a record boundary on the writer thread (switching to
 * a new segment), then writes the state as of that cut from the multi-versioned state on a background thread, fsyncs
 * it, renames it into place, fsyncs the directory and deletes the older segments. Recovery reads the checkpoint,
 * replays the later segments and cuts a torn tail off the last one.
 *
 * <p>Thread-safe. Errors: a disk failure is {@link ErrorCode#IO_ERROR} (and the storage refuses further writes); an
 * unknown collection is {@link ErrorCode#INTERNAL_ERROR} (callers check names first).
 */
public final class Storage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    private static final String CHECKPOINT_FILE = "checkpoint.bin";
    private static final String CHECKPOINT_TEMPORARY = "checkpoint.tmp";
    private static final Pattern SEGMENT_NAME = Pattern.compile("wal-(\\d{12})\\.log");
    private static final long NONE = Long.MAX_VALUE;

    private final Path directory;
    private final StorageOptions options;

    // Guards the maps below, upper, since changes and reader registration; the writer applies under it.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<String, VersionedCollection> collections = new LinkedHashMap<>();
    private final Map<HoldKey, HoldState> holds = new LinkedHashMap<>();
    // Read times pinned by sessions (time -> how many pins), which compaction of every collection respects.
    private final TreeMap<Long, Integer> pinnedReads = new TreeMap<>();
    private volatile long upper;

    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean writerStopped;
    private volatile Throwable failure;

    // Owned by the writer thread after recovery.
    private WalSegment segment;
    private long generation;
    private long lastTimestamp = Long.MIN_VALUE;
    private long bytesSinceCheckpoint;
    private boolean recovering;
    private volatile Thread checkpointThread;
    private volatile boolean checkpointCancelled;

    private record HoldKey(String name, String collection) {
    }

    /** {@code time} is what the holder asked for ({@link #NONE} while releasing); {@code durableTime} what the log says. */
    private static final class HoldState {
        long time;
        long durableTime;

        HoldState(long time, long durableTime) {
            this.time = time;
            this.durableTime = durableTime;
        }

        long effective() {
            return Math.min(time, durableTime);
        }
    }

    private sealed interface Request {
    }

    private record CommitRequest(WriteBatch batch, CompletableFuture<Long> done) implements Request {
    }

    private record HoldRequest(LogRecord.Hold record, Optional<CompletableFuture<Long>> done) implements Request {
    }

    private record StopRequest() implements Request {
    }

    private Storage(Path directory, StorageOptions options) {
        this.directory = directory;
        this.options = options;
        this.writer = new Thread(this::runWriter, "sluice-storage-writer");
        this.writer.setDaemon(true);
    }

    /** Opens (creating) the storage in {@code directory}, recovering its state from disk. */
    public static Storage open(Path directory, StorageOptions options) {
        requireNonNull(directory, "directory is null");
        requireNonNull(options, "options is null");
        Storage storage = new Storage(directory, options);
        try {
            storage.recovering = true;
            storage.recover();
            storage.recovering = false;
        } catch (IOException | RuntimeException e) {
            storage.closeSegmentQuietly();
            if (e instanceof SluiceException sluiceException) {
                throw sluiceException;
            }
            throw new SluiceException(ErrorCode.IO_ERROR, "could not open storage in \"" + directory + "\": " + e.getMessage(), e);
        }
        storage.writer.start();
        return storage;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Applies {@code batch} atomically (drops, then creations, then row changes) at a fresh timestamp and returns that
     * timestamp once it is durable. Waits uninterruptibly for the log sync (an interrupt is kept for the caller), so an
     * acknowledged timestamp always means a durable commit.
     */
    public long commit(WriteBatch batch) {
        requireNonNull(batch, "batch is null");
        CompletableFuture<Long> done = new CompletableFuture<>();
        submit(new CommitRequest(batch, done));
        return await(done);
    }

    private void submit(Request request) {
        checkOpen();
        requests.add(request);
        if (writerStopped) {
            failPending();
        }
    }

    private static long await(CompletableFuture<Long> done) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SluiceException sluiceException) {
                        throw sluiceException;
                    }
                    throw new SluiceException(ErrorCode.IO_ERROR, "could not write to storage: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runWriter() {
        long tickNanos = options.tickInterval().toNanos();
        long nextTick = System.nanoTime() + tickNanos;
        try {
            boolean stop = false;
            while (!stop) {
                long wait = Math.max(0, nextTick - System.nanoTime());
                Request first = requests.poll(wait, TimeUnit.NANOSECONDS);
                List<Request> drained = new ArrayList<>();
                if (first != null) {
                    drained.add(first);
                    requests.drainTo(drained);
                }
                stop = drained.removeIf(request -> request instanceof StopRequest);
                boolean tick = System.nanoTime() - nextTick >= 0;
                if (tick) {
                    nextTick = System.nanoTime() + tickNanos;
                }
                writeCycle(drained, tick);
                if (tick && !stop) {
                    compact();
                    maybeStartCheckpoint();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("storage writer failed; refusing further writes", e);
            failure = e;
        } catch (InterruptedException e) {
            // Only close() stops the writer, with a StopRequest; an interrupt from elsewhere ends it the same way.
            Thread.currentThread().interrupt();
        } finally {
            writerStopped = true;
            failPending();
        }
    }

    private void failPending() {
        List<Request> drained = new ArrayList<>();
        requests.drainTo(drained);
        SluiceException cause = stoppedException();
        for (Request request : drained) {
            fail(request, cause);
        }
    }

    private SluiceException stoppedException() {
        Throwable failed = failure;
        if (failed != null) {
            return new SluiceException(ErrorCode.IO_ERROR, "storage failed and accepts no more writes: " + failed.getMessage(), failed);
        }
        return new SluiceException(ErrorCode.ADMIN_SHUTDOWN, "storage is closed");
    }

    private static void fail(Request request, Throwable cause) {
        if (request instanceof CommitRequest commit) {
            commit.done().completeExceptionally(cause);
        } else if (request instanceof HoldRequest hold) {
            hold.done().ifPresent(done -> done.completeExceptionally(cause));
        }
    }

    /** A request the writer sequenced in this cycle, with its record. */
    private record Sequenced(Request request, LogRecord record) {
    }

    private void writeCycle(List<Request> drained, boolean tick) throws IOException {
        long now = options.clock().millis();
        long timestamp = lastTimestamp;
        long currentUpper = upper;
        Map<String, Optional<RelationDesc>> overlay = new HashMap<>();
        List<Sequenced> sequenced = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        boolean commits = false;
        for (Request request : drained) {
            try {
                LogRecord record;
                if (request instanceof CommitRequest commit) {
                    long time = Math.max(Math.max(now, timestamp + 1), currentUpper);
                    record = sequence(commit.batch(), time, overlay);
                    payloads.add(LogRecord.encode(record));
                    timestamp = time;
                    commits = true;
                } else {
                    LogRecord.Hold hold = ((HoldRequest) request).record();
                    if (hold.kind() == LogRecord.HoldKind.SET && describe(hold.collection(), overlay).isEmpty()) {
                        throw unknownCollection(hold.collection());
                    }
                    record = hold;
                    payloads.add(LogRecord.encode(record));
                }
                sequenced.add(new Sequenced(request, record));
            } catch (SluiceException | IllegalArgumentException e) {
                fail(request, SluiceException.internal(e));
            }
        }
        long newUpper = commits ? Math.max(currentUpper, timestamp + 1) : currentUpper;
        if (tick && now > newUpper) {
            newUpper = now;
            payloads.add(LogRecord.encode(new LogRecord.Upper(newUpper)));
        }
        if (payloads.isEmpty()) {
            return;
        }
        try {
            segment.append(payloads);
            if (options.fsync()) {
                segment.sync();
            }
        } catch (IOException | RuntimeException e) {
            IOException cause = e instanceof IOException io ? io : new IOException(e);
            failure = cause;
            SluiceException error = new SluiceException(ErrorCode.IO_ERROR, "could not write the storage log: " + e.getMessage(), e);
            sequenced.forEach(entry -> fail(entry.request(), error));
            throw cause;
        }
        for (byte[] payload : payloads) {
            bytesSinceCheckpoint += WalSegment.HEADER_BYTES + payload.length;
        }
        lock.lock();
        try {
            for (Sequenced entry : sequenced) {
                applyRecord(entry.record());
            }
            lastTimestamp = timestamp;
            upper = Math.max(upper, newUpper);
            advanced.signalAll();
        } catch (RuntimeException e) {
            SluiceException error = SluiceException.internal(e);
            sequenced.forEach(entry -> fail(entry.request(), error));
            throw e;
        } finally {
            lock.unlock();
        }
        for (Sequenced entry : sequenced) {
            if (entry.request() instanceof CommitRequest commit) {
                commit.done().complete(((LogRecord.Commit) entry.record()).time());
            } else {
                ((HoldRequest) entry.request()).done().ifPresent(done -> done.complete(0L));
            }
        }
    }

    /** Checks {@code batch} against the collections as of the records sequenced before it and builds its record. */
    private LogRecord.Commit sequence(WriteBatch batch, long time, Map<String, Optional<RelationDesc>> overlay) {
        Map<String, Optional<RelationDesc>> effect = new HashMap<>();
        for (String dropped : batch.drops()) {
            if (describe(dropped, overlay).isEmpty() || effect.containsKey(dropped)) {
                throw unknownCollection(dropped);
            }
            effect.put(dropped, Optional.empty());
        }
        for (Map.Entry<String, RelationDesc> created : batch.creates().entrySet()) {
            Optional<RelationDesc> existing = effect.containsKey(created.getKey()) ? effect.get(created.getKey())
                    : describe(created.getKey(), overlay);
            if (existing.isPresent()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: collection \"%s\" already exists", created.getKey());
            }
            effect.put(created.getKey(), Optional.of(created.getValue()));
        }
        Map<String, List<Update>> changes = new LinkedHashMap<>();
        for (WriteBatch.Change change : batch.changes()) {
            Optional<RelationDesc> desc = effect.containsKey(change.collection()) ? effect.get(change.collection())
                    : describe(change.collection(), overlay);
            if (desc.isEmpty()) {
                throw unknownCollection(change.collection());
            }
            if (change.row().size() != desc.get().arity()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: row of %d values for collection \"%s\" of %d columns",
                        change.row().size(), change.collection(), desc.get().arity());
            }
            changes.computeIfAbsent(change.collection(), ignored -> new ArrayList<>()).add(new Update(change.row(), time, change.diff()));
        }
        overlay.putAll(effect);
        return new LogRecord.Commit(time, batch.creates(), batch.drops(), changes);
    }

    /** The description of {@code id} after the records sequenced so far in this cycle (writer thread). */
    private Optional<RelationDesc> describe(String id, Map<String, Optional<RelationDesc>> overlay) {
        if (overlay.containsKey(id)) {
            return overlay.get(id);
        }
        VersionedCollection collection = collections.get(id);
        return collection == null ? Optional.empty() : Optional.of(collection.desc());
    }

    /** Applies a durable record to memory; under the lock (or during recovery). */
    private void applyRecord(LogRecord record) {
        if (record instanceof LogRecord.Commit commit) {
            for (String dropped : commit.drops()) {
                collections.remove(dropped);
                holds.keySet().removeIf(key -> key.collection().equals(dropped));
            }
            for (Map.Entry<String, RelationDesc> created : commit.creates().entrySet()) {
                collections.put(created.getKey(), new VersionedCollection(created.getKey(), created.getValue(), commit.time()));
            }
            for (Map.Entry<String, List<Update>> changed : commit.changes().entrySet()) {
                collections.get(changed.getKey()).apply(commit.time(), changed.getValue());
            }
            lastTimestamp = Math.max(lastTimestamp, commit.time());
            upper = Math.max(upper, commit.time() + 1);
        } else if (record instanceof LogRecord.Upper advance) {
            upper = Math.max(upper, advance.upper());
        } else if (record instanceof LogRecord.Hold hold) {
            HoldKey key = new HoldKey(hold.name(), hold.collection());
            HoldState state = holds.get(key);
            switch (hold.kind()) {
                case SET -> {
                    if (state == null || recovering) {
                        holds.put(key, new HoldState(hold.time(), hold.time()));
                    } else {
                        state.durableTime = hold.time();
                    }
                }
                case ADVANCE -> {
                    if (state != null) {
                        state.durableTime = state.durableTime == NONE ? hold.time() : Math.max(state.durableTime, hold.time());
                        if (state.time != NONE) {
                            state.time = Math.max(state.time, hold.time());
                        }
                    }
                }
                case RELEASE -> {
                    // Live, the holder may have re-acquired the hold while its release was being written.
                    if (state != null && (recovering || state.time == NONE)) {
                        holds.remove(key);
                    } else if (state != null) {
                        state.durableTime = NONE;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ compaction and checkpoints

    /** Advances each collection's since (under the lock, so readers registering see it) and folds history (outside). */
    private void compact() {
        List<VersionedCollection> toFold = new ArrayList<>();
        lock.lock();
        try {
            Map<String, Long> heldAt = new HashMap<>();
            for (Map.Entry<HoldKey, HoldState> hold : holds.entrySet()) {
                heldAt.merge(hold.getKey().collection(), hold.getValue().effective(), Math::min);
            }
            long earliestPin = pinnedReads.isEmpty() ? NONE : pinnedReads.firstKey();
            for (VersionedCollection collection : collections.values()) {
                long target = Math.min(Math.min(upper - 1, earliestPin),
                        Math.min(collection.earliestReader(), heldAt.getOrDefault(collection.id(), NONE)));
                if (target > collection.since()) {
                    collection.advanceSince(target);
                    toFold.add(collection);
                }
            }
        } finally {
            lock.unlock();
        }
        for (VersionedCollection collection : toFold) {
            collection.foldHistory();
        }
    }

    private void maybeStartCheckpoint() throws IOException {
        Thread running = checkpointThread;
        if (bytesSinceCheckpoint < options.checkpointBytes() || (running != null && running.isAlive())) {
            return;
        }
        long nextGeneration = generation + 1;
        List<Checkpoint.CollectionImage> images = new ArrayList<>();
        List<Checkpoint.HoldImage> holdImages = new ArrayList<>();
        Map<VersionedCollection, Long> readers = new HashMap<>();
        long cutTimestamp;
        long cutUpper;
        lock.lock();
        try {
            cutTimestamp = lastTimestamp;
            cutUpper = upper;
            for (VersionedCollection collection : collections.values()) {
                long since = collection.since();
                readers.put(collection, collection.registerReader(since));
                images.add(new Checkpoint.CollectionImage(collection, since,
                        new ArrayList<>(collection.history(since, cutTimestamp).entrySet())));
            }
            for (Map.Entry<HoldKey, HoldState> hold : holds.entrySet()) {
                if (hold.getValue().durableTime != NONE) {
                    holdImages.add(new Checkpoint.HoldImage(hold.getKey().name(), hold.getKey().collection(), hold.getValue().durableTime));
                }
            }
        } finally {
            lock.unlock();
        }
        WalSegment next;
        try {
            next = WalSegment.openForAppend(segmentPath(nextGeneration), 0);
            syncDirectory();
        } catch (IOException | RuntimeException e) {
            readers.forEach(VersionedCollection::unregisterReader);
            throw e;
        }
        WalSegment previous = segment;
        segment = next;
        generation = nextGeneration;
        bytesSinceCheckpoint = 0;
        previous.close();
        Thread thread = new Thread(() -> writeCheckpoint(nextGeneration, cutTimestamp, cutUpper, images, holdImages, readers),
                "sluice-storage-checkpoint");
        thread.setDaemon(true);
        checkpointThread = thread;
        thread.start();
    }

    private void writeCheckpoint(long checkpointGeneration, long cutTimestamp, long cutUpper, List<Checkpoint.CollectionImage> images,
            List<Checkpoint.HoldImage> holdImages, Map<VersionedCollection, Long> readers) {
        Path temporary = directory.resolve(CHECKPOINT_TEMPORARY);
        try {
            Checkpoint.write(temporary, checkpointGeneration, cutTimestamp, cutUpper, images, holdImages, () -> checkpointCancelled);
            Files.move(temporary, directory.resolve(CHECKPOINT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            for (Map.Entry<Long, Path> old : segments().headMap(checkpointGeneration).entrySet()) {
                Files.deleteIfExists(old.getValue());
            }
            LOG.debug("checkpoint of generation {} written", checkpointGeneration);
        } catch (CancellationException e) {
            deleteQuietly(temporary);
        } catch (IOException | RuntimeException e) {
            // The log still has everything: a failed checkpoint costs disk space and replay time, not data.
            LOG.error("could not write a storage checkpoint; the log is kept and a later checkpoint will retry", e);
            deleteQuietly(temporary);
        } finally {
            readers.forEach(VersionedCollection::unregisterReader);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not delete {}", path, e);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private Path segmentPath(long segmentGeneration) {
        return directory.resolve(String.format(Locale.ROOT, "wal-%012d.log", segmentGeneration));
    }

    private TreeMap<Long, Path> segments() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = SEGMENT_NAME.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    found.put(Long.parseLong(matcher.group(1)), file);
                }
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(CHECKPOINT_TEMPORARY));
        Path checkpoint = directory.resolve(CHECKPOINT_FILE);
        long firstGeneration = 0;
        upper = Long.MIN_VALUE;
        if (Files.exists(checkpoint)) {
            Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
            firstGeneration = loaded.generation();
            lastTimestamp = loaded.lastTimestamp();
            upper = loaded.upper();
            collections.putAll(loaded.collections());
            for (Checkpoint.HoldImage hold : loaded.holds()) {
                holds.put(new HoldKey(hold.name(), hold.collection()), new HoldState(hold.time(), hold.time()));
            }
        }
        TreeMap<Long, Path> found = segments();
        for (Path obsolete : found.headMap(firstGeneration).values()) {
            Files.deleteIfExists(obsolete);
        }
        TreeMap<Long, Path> replay = new TreeMap<>(found.tailMap(firstGeneration, true));
        long appendGeneration = replay.isEmpty() ? firstGeneration : replay.lastKey();
        long validLength = 0;
        for (Map.Entry<Long, Path> entry : replay.entrySet()) {
            long valid = WalSegment.scan(entry.getValue(), payload -> applyRecord(LogRecord.decode(payload)));
            long size = Files.size(entry.getValue());
            if (valid < size && entry.getKey() != appendGeneration) {
                throw new IOException("log segment " + entry.getValue() + " is corrupt at byte " + valid
                        + " and later segments exist; refusing to start without records that were acknowledged");
            }
            if (valid < size) {
                LOG.warn("cutting a torn tail of {} bytes off {}", size - valid, entry.getValue());
            }
            bytesSinceCheckpoint += valid;
            validLength = valid;
        }
        generation = appendGeneration;
        segment = WalSegment.openForAppend(segmentPath(appendGeneration), validLength);
        syncDirectory();
        if (upper == Long.MIN_VALUE) {
            upper = options.clock().millis();
        }
    }

    private void closeSegmentQuietly() {
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.warn("could not close {}", segment.path(), e);
            }
        }
    }

    // ------------------------------------------------------------------ reads

    /**
     * The global upper: every update before it is known, and every later commit gets a timestamp at or above it. It is
     * the last durable timestamp plus one, or the clock after an idle tick.
     */
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

    /** The earliest time {@code id} can be read at. */
    public long since(String id) {
        lock.lock();
        try {
            return state(id).since();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current row of {@code id} whose first unique key columns equal {@code key} (a row of just those columns, in
     * key order). Only for collections with a unique key.
     */
    public Optional<Row> lookupByKey(String id, Row key) {
        requireNonNull(key, "key is null");
        lock.lock();
        try {
            VersionedCollection collection = state(id);
            if (!collection.hasKey()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: collection \"%s\" has no unique key to look up by", id);
            }
            return collection.lookupByKey(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pins the latest readable time ({@code upper - 1}) against compaction of every collection until the pin is
     * closed, so a query (or a transaction's reads) planned at that time can still read it later. Caller closes;
     * closing twice is harmless.
     */
    public ReadPin pinLatestReadTime() {
        lock.lock();
        try {
            checkReadable();
            long time = upper - 1;
            pinnedReads.merge(time, 1, Integer::sum);
            return new PinImpl(time);
        } finally {
            lock.unlock();
        }
    }

    private final class PinImpl implements ReadPin {
        private final long time;
        private boolean released;

        PinImpl(long time) {
            this.time = time;
        }

        @Override
        public long time() {
            return time;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    pinnedReads.computeIfPresent(time, (ignored, count) -> count == 1 ? null : count - 1);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The consolidated contents of {@code id} as of {@code asOf} ({@code since <= asOf < upper}). Caller closes. */
    public SnapshotCursor snapshot(String id, long asOf) {
        VersionedCollection collection;
        long readerId;
        lock.lock();
        try {
            checkReadable();
            collection = state(id);
            if (asOf < collection.since() || asOf >= upper) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR,
                        "internal error: collection \"%s\" is not readable at %d (readable from %d to before %d)", id, asOf,
                        collection.since(), upper);
            }
            readerId = collection.registerReader(asOf);
        } finally {
            lock.unlock();
        }
        return new Cursor(collection, readerId, collection.read(asOf));
    }

    private static final class Cursor implements SnapshotCursor {
        private final VersionedCollection collection;
        private final long readerId;
        private final Iterator<Map.Entry<Row, Long>> rows;
        private boolean closed;

        Cursor(VersionedCollection collection, long readerId, Iterator<Map.Entry<Row, Long>> rows) {
            this.collection = collection;
            this.readerId = readerId;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return !closed && rows.hasNext();
        }

        @Override
        public RowCount next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<Row, Long> row = rows.next();
            return new RowCount(row.getKey(), row.getValue());
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                collection.unregisterReader(readerId);
            }
        }
    }

    /** The changes of {@code id} after {@code asOf} ({@code asOf >= since}), in time order, with upper advances. Caller closes. */
    public Subscription subscribe(String id, long asOf) {
        lock.lock();
        try {
            checkReadable();
            VersionedCollection collection = state(id);
            if (asOf < collection.since()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: collection \"%s\" is compacted past %d (readable from %d)",
                        id, asOf, collection.since());
            }
            return new SubscriptionImpl(collection, collection.registerReader(asOf), asOf);
        } finally {
            lock.unlock();
        }
    }

    private final class SubscriptionImpl implements Subscription {
        private final VersionedCollection collection;
        private final long readerId;
        private long position;
        private long reportedUpper;
        private boolean open = true;

        SubscriptionImpl(VersionedCollection collection, long readerId, long position) {
            this.collection = collection;
            this.readerId = readerId;
            this.position = position;
            this.reportedUpper = position + 1;
        }

        @Override
        public SubscriptionEvent poll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            lock.lockInterruptibly();
            try {
                while (true) {
                    if (!open) {
                        throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: subscription to \"%s\" is closed", collection.id());
                    }
                    if (closed) {
                        return null;
                    }
                    if (collections.get(collection.id()) != collection) {
                        throw SluiceException.of(ErrorCode.UNDEFINED_TABLE, "collection \"%s\" was dropped", collection.id());
                    }
                    Optional<Map.Entry<Long, List<Update>>> next = collection.historyAfter(position);
                    if (next.isPresent() && next.get().getKey() < upper) {
                        position = next.get().getKey();
                        collection.moveReader(readerId, position);
                        return new SubscriptionEvent.Updates(position, next.get().getValue());
                    }
                    long currentUpper = upper;
                    if (currentUpper > reportedUpper) {
                        reportedUpper = currentUpper;
                        position = Math.max(position, currentUpper - 1);
                        collection.moveReader(readerId, position);
                        return new SubscriptionEvent.Progress(currentUpper);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
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
            open = false;
            collection.unregisterReader(readerId);
        }
    }

    // ------------------------------------------------------------------ holds

    /**
     * Takes (or moves, if {@code name} already holds {@code id}) the durable read hold {@code name} on {@code id} at
     * {@code time} ({@code >= since}); returns once the hold is durable.
     */
    public ReadHold acquireHold(String name, String id, long time) {
        requireNonNull(name, "name is null");
        requireNonNull(id, "id is null");
        HoldKey key = new HoldKey(name, id);
        lock.lock();
        try {
            checkOpen();
            VersionedCollection collection = state(id);
            if (time < collection.since()) {
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: cannot hold \"%s\" at %d, it is compacted to %d", id, time,
                        collection.since());
            }
            HoldState state = holds.get(key);
            if (state == null) {
                holds.put(key, new HoldState(time, NONE));
            } else {
                state.time = time;
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        submit(new HoldRequest(new LogRecord.Hold(LogRecord.HoldKind.SET, name, id, time), Optional.of(done)));
        await(done);
        return new Hold(key);
    }

    /** The durable hold {@code name} on {@code id}, if it exists (for instance, survived a restart). */
    public Optional<ReadHold> hold(String name, String id) {
        HoldKey key = new HoldKey(requireNonNull(name, "name is null"), requireNonNull(id, "id is null"));
        lock.lock();
        try {
            HoldState state = holds.get(key);
            return state == null || state.time == NONE ? Optional.empty() : Optional.of(new Hold(key));
        } finally {
            lock.unlock();
        }
    }

    /** Every durable hold that is not released, in the order they were taken (for holders that reconcile theirs at start). */
    public List<ReadHold> holds() {
        lock.lock();
        try {
            List<ReadHold> result = new ArrayList<>();
            for (Map.Entry<HoldKey, HoldState> entry : holds.entrySet()) {
                if (entry.getValue().time != NONE) {
                    result.add(new Hold(entry.getKey()));
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** The durable hold called {@code name} on any collection (for holders that hold one collection). */
    public Optional<ReadHold> hold(String name) {
        requireNonNull(name, "name is null");
        lock.lock();
        try {
            for (Map.Entry<HoldKey, HoldState> entry : holds.entrySet()) {
                if (entry.getKey().name().equals(name) && entry.getValue().time != NONE) {
                    return Optional.of(new Hold(entry.getKey()));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private final class Hold implements ReadHold {
        private final HoldKey key;

        Hold(HoldKey key) {
            this.key = key;
        }

        @Override
        public String name() {
            return key.name();
        }

        @Override
        public String collection() {
            return key.collection();
        }

        @Override
        public long time() {
            lock.lock();
            try {
                HoldState state = holds.get(key);
                return state == null || state.time == NONE ? -1 : state.time;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void downgrade(long newTime) {
            lock.lock();
            try {
                HoldState state = holds.get(key);
                if (state == null || state.time == NONE || newTime <= state.time) {
                    return;
                }
                state.time = newTime;
            } finally {
                lock.unlock();
            }
            if (closed || writerStopped) {
                // The durable time stays where it was, and compaction keeps respecting it.
                return;
            }
            submit(new HoldRequest(new LogRecord.Hold(LogRecord.HoldKind.ADVANCE, key.name(), key.collection(), newTime), Optional.empty()));
        }

        @Override
        public void release() {
            lock.lock();
            try {
                HoldState state = holds.get(key);
                if (state == null || state.time == NONE) {
                    return;
                }
                state.time = NONE;
            } finally {
                lock.unlock();
            }
            CompletableFuture<Long> done = new CompletableFuture<>();
            submit(new HoldRequest(new LogRecord.Hold(LogRecord.HoldKind.RELEASE, key.name(), key.collection(), -1), Optional.of(done)));
            await(done);
        }

        @Override
        public String toString() {
            return "ReadHold[" + key.name() + " on " + key.collection() + " at " + time() + "]";
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private VersionedCollection state(String id) {
        VersionedCollection collection = collections.get(requireNonNull(id, "id is null"));
        if (collection == null) {
            throw unknownCollection(id);
        }
        return collection;
    }

    private static SluiceException unknownCollection(String id) {
        return SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: unknown collection \"%s\"", id);
    }

    private void checkOpen() {
        if (closed || writerStopped) {
            throw stoppedException();
        }
    }

    private void checkReadable() {
        if (closed) {
            throw new SluiceException(ErrorCode.ADMIN_SHUTDOWN, "storage is closed");
        }
    }

    /** Stops the writer (pending commits still complete), cancels a running checkpoint, closes the log. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        requests.add(new StopRequest());
        joinUninterruptibly(writer);
        closed = true;
        checkpointCancelled = true;
        Thread checkpoint = checkpointThread;
        if (checkpoint != null) {
            joinUninterruptibly(checkpoint);
        }
        failPending();
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        closeSegmentQuietly();
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
