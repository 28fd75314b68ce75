package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a cursor on its own thread, one event ahead of the sink's writer, so that reading the
 * input (a snapshot scan of storage, above all) overlaps with producing to Kafka instead of taking
 * turns with it on the writer's thread. Events keep their order. A hand-off, not a buffer: the
 * reader waits with its one event until the writer takes it, so a snapshot in flight is at most two
 * batches (Sluice's decision 3). The reader thread owns the underlying cursor; {@link #close()}
 * stops it and closes it.
 */
final class PrefetchingCursor implements SinkInput.Cursor {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(200);

    private final BlockingQueue<SinkInput.Event> events = new SynchronousQueue<>();
    private final SinkInput.Cursor cursor;
    private final Thread reader;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    PrefetchingCursor(SinkInput.Cursor cursor, String name) {
        this.cursor = requireNonNull(cursor, "cursor is null");
        this.reader = new Thread(this::read, name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                SinkInput.Event event = cursor.poll(READ_TIMEOUT);
                if (event != null) {
                    events.put(event);
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
        }
    }

    @Override
    public SinkInput.Event poll(Duration timeout) throws InterruptedException {
        SinkInput.Event event = timeout.isZero() ? events.poll() : events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null && failure != null) {
            throw failure;
        }
        return event;
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
