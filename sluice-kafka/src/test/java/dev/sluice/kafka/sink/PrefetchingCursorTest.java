package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The prefetching cursor hands on every event in order, prepared on its reader's thread, then the reader's failure, and closes what it read. */
class PrefetchingCursorTest {
    @Test
    void eventsArriveInOrderAndAFailureAfterThem() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        SinkInput.Cursor source = new SinkInput.Cursor() {
            private long next;

            @Override
            public SinkInput.Event poll(Duration timeout) {
                if (next == 100) {
                    throw new IllegalStateException("storage failed");
                }
                return new SinkInput.Event.Progress(next++);
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        List<Long> seen = new ArrayList<>();
        try (PrefetchingCursor<SinkInput.Event> cursor = new PrefetchingCursor<>(source, "test-input", event -> event)) {
            assertThatThrownBy(() -> {
                while (true) {
                    SinkInput.Event event = cursor.poll(Duration.ofSeconds(5));
                    seen.add(((SinkInput.Event.Progress) event).upper());
                }
            }).hasMessage("storage failed");
        }
        assertThat(seen).hasSize(100).isSorted().startsWith(0L).endsWith(99L);
        assertThat(closed).isTrue();
    }

    @Test
    void closeStopsTheReaderWhileItWaitsForInput() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        SinkInput.Cursor idle = new SinkInput.Cursor() {
            @Override
            public SinkInput.Event poll(Duration timeout) throws InterruptedException {
                Thread.sleep(timeout.toMillis());
                return null;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        PrefetchingCursor<SinkInput.Event> cursor = new PrefetchingCursor<>(idle, "idle-input", event -> event);
        assertThat(cursor.poll(Duration.ZERO)).isNull();
        cursor.close();
        assertThat(closed).as("closed by the reader on its way out, before close() returns").isTrue();
    }

    @Test
    void eventsArePreparedOnTheReadersThreadInOrder() throws Exception {
        SinkInput.Cursor source = new SinkInput.Cursor() {
            private long next;

            @Override
            public SinkInput.Event poll(Duration timeout) {
                return new SinkInput.Event.Progress(next++);
            }

            @Override
            public void close() {
            }
        };
        try (PrefetchingCursor<String> cursor = new PrefetchingCursor<>(source, "preparing-input",
                event -> Thread.currentThread().getName() + " " + ((SinkInput.Event.Progress) event).upper())) {
            for (long expected = 0; expected < 10; expected++) {
                assertThat(cursor.poll(Duration.ofSeconds(5))).isEqualTo("preparing-input " + expected);
            }
        }
    }

    @Test
    void smallEventsGoOverTogetherAndReadingAheadStaysWithinTwoBatches() throws Exception {
        java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
        List<dev.sluice.common.time.Update> snapshotBatch = java.util.Collections.nCopies(PrefetchingCursor.BATCH_UPDATES,
                new dev.sluice.common.time.Update(dev.sluice.common.value.Row.of(1), 1, 1));
        SinkInput.Cursor source = new SinkInput.Cursor() {
            @Override
            public SinkInput.Event poll(Duration timeout) {
                // First 5 small events, then snapshot-sized batches without end.
                long number = served.getAndIncrement();
                return number < 5 ? new SinkInput.Event.Progress(number) : new SinkInput.Event.Data(snapshotBatch);
            }

            @Override
            public void close() {
            }
        };
        try (PrefetchingCursor<SinkInput.Event> cursor = new PrefetchingCursor<>(source, "bounded-input", event -> event)) {
            assertThat(cursor.poll(Duration.ofSeconds(5))).isEqualTo(new SinkInput.Event.Progress(0));
            for (long expected = 1; expected < 5; expected++) {
                assertThat(cursor.poll(Duration.ZERO)).as("handed over with the first").isEqualTo(new SinkInput.Event.Progress(expected));
            }
            assertThat(cursor.poll(Duration.ofSeconds(5))).as("too large to join them: the next hand-off").isInstanceOf(SinkInput.Event.Data.class);
            Thread.sleep(300);
            // Taken: the 5 small events, then one snapshot batch; waiting to be taken: one snapshot batch, alone.
            assertThat(served.get()).isEqualTo(7);
            assertThat(cursor.poll(Duration.ofSeconds(5))).isInstanceOf(SinkInput.Event.Data.class);
        }
    }
}
