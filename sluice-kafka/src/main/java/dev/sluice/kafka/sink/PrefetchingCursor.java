package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads a cursor on its own thread, ahead of the sink's writer, and prepares each event there
 * ({@code prepare}: the sink encodes a snapshot's messages), so that reading the input (a snapshot
 * scan of storage, above all) and encoding overlap with producing to Kafka instead of taking turns
 * with it on the writer's thread. Events keep their order. The reader hands over what is available
 * at once, up to {@link #BATCH_UPDATES} updates or one larger event (a snapshot batch goes alone), in
 * one hand-off, not a buffer: it waits with that batch until the writer takes it, so a snapshot in
 * flight is at most three batches: the writer's, the one handed over and the one read next (Sluice's
 * decision 3). The
 * reader thread owns the underlying cursor; {@link #close()} stops it and closes it.
 *
 * @param <T> what an event becomes once prepared
 */
final class PrefetchingCursor<T> implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(200);

    /** About one snapshot batch: what one hand-off carries at most, unless a single event is larger. */
    static final int BATCH_UPDATES = 1024;

    private final BlockingQueue<List<T>> events = new SynchronousQueue<>();
    /** What the writer has not taken yet of the last batch handed over; only the writer's thread uses it. */
    private Iterator<T> taken = Collections.emptyIterator();
    private final SinkInput.Cursor cursor;
    private final Function<SinkInput.Event, T> prepare;
    private final Thread reader;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    /** Starts reading {@code cursor}; {@code prepare} runs on the reader's thread, once per event, in order. */
    PrefetchingCursor(SinkInput.Cursor cursor, String name, Function<SinkInput.Event, T> prepare) {
        this.cursor = requireNonNull(cursor, "cursor is null");
        this.prepare = requireNonNull(prepare, "prepare is null");
        this.reader = new Thread(this::read, name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read() {
        try {
            SinkInput.Event next = null;
            while (!closed) {
                SinkInput.Event event = next != null ? next : cursor.poll(READ_TIMEOUT);
                next = null;
                if (event == null) {
                    continue;
                }
                // What is available now goes over in one hand-off, up to BATCH_UPDATES updates or a single larger event
                // (a snapshot batch): a backlog of small events (single-row transactions) then costs one thread switch,
                // not one per event. An event that does not fit any more starts the next hand-off.
                List<T> batch = new ArrayList<>();
                int updates = 0;
                RuntimeException failed = null;
                try {
                    while (event != null) {
                        batch.add(prepare.apply(event));
                        updates += size(event);
                        event = updates < BATCH_UPDATES ? cursor.poll(Duration.ZERO) : null;
                        if (event != null && updates + size(event) > BATCH_UPDATES) {
                            next = event;
                            event = null;
                        }
                    }
                } catch (RuntimeException e) {
                    failed = e;
                }
                events.put(batch);
                if (failed != null) {
                    throw failed;
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            // Handed to the writer, which stalls and restarts the sink: this thread must not end silently.
            failure = new IllegalStateException("unexpected error reading the sink's input: " + e, e);
        } finally {
            cursor.close();
            // Wakes a writer waiting for the next batch, to see the failure now rather than after its timeout.
            events.offer(List.of());
        }
    }

    private static int size(SinkInput.Event event) {
        return event instanceof SinkInput.Event.Data data ? data.updates().size() : 1;
    }

    /** The next prepared event, or null after {@code timeout}; throws what the reader failed with once all before it are taken. */
    public T poll(Duration timeout) throws InterruptedException {
        // A batch is handed over only while the reader waits, so once it has failed nothing is left to take but the rest of the last one.
        if (!taken.hasNext() && failure == null) {
            List<T> batch = timeout.isZero() ? events.poll() : events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (batch != null) {
                taken = batch.iterator();
            }
        }
        if (taken.hasNext()) {
            return taken.next();
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
