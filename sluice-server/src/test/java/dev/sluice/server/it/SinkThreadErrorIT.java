package dev.sluice.server.it;

import static dev.sluice.server.it.ScriptedSinkInput.data;
import static dev.sluice.server.it.ScriptedSinkInput.fail;
import static dev.sluice.server.it.ScriptedSinkInput.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.sink.KafkaSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sink's thread must never end while its status says {@code running}. The first incarnation's
 * input fails with an {@link Error} (not a {@link RuntimeException}: an {@code OutOfMemoryError} of a
 * growing buffer, a {@code StackOverflowError} or a library's {@code AssertionError} in encoding or
 * PARTITION BY evaluation behave the same); the sink has to report {@code stalled} and restart from
 * its committed progress like for any other failure, and the second incarnation's data must land.
 */
class SinkThreadErrorIT {
    /** Stands for any {@link Error} thrown on the sink's thread. */
    private static final class SyntheticError extends Error {
        private static final long serialVersionUID = 1L;

        SyntheticError() {
            super("synthetic error on the sink thread");
        }
    }

    @Test
    void anErrorOnTheSinkThreadIsReportedStalledAndTheSinkRestarts() throws Exception {
        String name = SinkTestKit.unique("thread_error");
        long asOf = 1_000;
        ScriptedSinkInput input = new ScriptedSinkInput(asOf, List.of(List.of(fail(new SyntheticError())),
                List.of(data(1, asOf), data(2, asOf), data(3, asOf), progress(asOf + 1))));
        List<String> statuses = new CopyOnWriteArrayList<>();
        KafkaSink sink = new KafkaSink(ScriptedSinkInput.description(name, asOf), input,
                (sinkId, status, error, hints) -> statuses.add(status + error.map(text -> ": " + text).orElse("")), Duration.ofMillis(200));
        sink.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sink.statistics().messagesCommitted() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            sink.close();
        }
        assertThat(statuses).as("statuses reported: %s", statuses).anyMatch(status -> status.startsWith("stalled") && status.contains("synthetic error"));
        assertThat(input.opened).as("incarnations that opened the input").hasSizeGreaterThanOrEqualTo(2);
        assertThat(sink.statistics().messagesCommitted()).as("messages committed by the restarted sink").isEqualTo(3);
        assertThat(SinkTestKit.readCommitted(name)).extracting(SinkTestKit.Record::keyText)
                .containsExactlyInAnyOrder("{\"k\":1}", "{\"k\":2}", "{\"k\":3}");
    }
}
