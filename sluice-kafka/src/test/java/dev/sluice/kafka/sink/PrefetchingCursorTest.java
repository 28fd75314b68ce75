package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The prefetching cursor hands on every event in order, then the reader's failure, and closes what it read. */
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
        try (PrefetchingCursor cursor = new PrefetchingCursor(source, "test-input")) {
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
        PrefetchingCursor cursor = new PrefetchingCursor(idle, "idle-input");
        assertThat(cursor.poll(Duration.ZERO)).isNull();
        cursor.close();
        assertThat(closed).as("closed by the reader on its way out, before close() returns").isTrue();
    }
}
