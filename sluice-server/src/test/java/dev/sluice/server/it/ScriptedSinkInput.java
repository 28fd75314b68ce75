package dev.sluice.server.it;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.connection.KafkaConnectionSpec;
import dev.sluice.kafka.sink.KafkaSinkDescription;
import dev.sluice.kafka.sink.SinkInput;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink input over a table {@code (k int PRIMARY KEY)} that plays a fixed script of steps, so a
 * {@link dev.sluice.kafka.sink.KafkaSink} can be driven through exact timestamps against the real
 * broker. The n-th {@link #open} plays the n-th script (the last one for later opens); after its
 * script an input stays idle. Records how it was opened and every hold downgrade.
 */
final class ScriptedSinkInput implements SinkInput {
    static final RelationDesc DESC = new RelationDesc(List.of(new Column("k", SqlType.INTEGER, false)), List.of(List.of(0)));

    /** One poll's worth of the script: an event, {@code null} for a poll that finds nothing, or a throw. */
    @FunctionalInterface
    interface Step {
        Event next();
    }

    /** How the sink opened the input. */
    record Opened(long asOf, boolean withSnapshot) {
    }

    private final long readableSince;
    private final List<List<Step>> scripts;
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final List<Long> holds = new CopyOnWriteArrayList<>();

    ScriptedSinkInput(long readableSince, List<List<Step>> scripts) {
        this.readableSince = readableSince;
        this.scripts = List.copyOf(scripts);
    }

    static Step data(int key, long time) {
        return () -> new Event.Data(List.of(new Update(Row.of(key), time, 1)));
    }

    static Step progress(long upper) {
        return () -> new Event.Progress(upper);
    }

    /** A poll that finds nothing: the sink stops draining and acts on the frontier it has seen. */
    static Step idle() {
        return () -> null;
    }

    static Step fail(Error error) {
        return () -> {
            throw error;
        };
    }

    /** An UPSERT JSON sink {@code u1} keyed by {@code k}, with SNAPSHOT, writing topic {@code name} and progress topic {@code name_progress}. */
    static KafkaSinkDescription description(String name, long asOf) {
        return new KafkaSinkDescription("u1", name, 0, name, "u0", KafkaConnectionSpec.plaintext(SinkTestKit.bootstrap()), name + "_progress",
                Optional.empty(), name, "lz4", "", "", Optional.of(1), Optional.empty(), Map.of(), Duration.ofSeconds(30), Optional.empty(),
                Optional.of(List.of(0)), Optional.of(List.of(0)), Optional.empty(), KafkaSinkDescription.Format.JSON, KafkaSinkDescription.Format.JSON,
                KafkaSinkDescription.Envelope.UPSERT, true, asOf);
    }

    @Override
    public RelationDesc desc() {
        return DESC;
    }

    @Override
    public long readableSince() {
        return readableSince;
    }

    @Override
    public Cursor open(long asOf, boolean withSnapshot) {
        opened.add(new Opened(asOf, withSnapshot));
        Iterator<Step> steps = scripts.get(Math.min(opened.size(), scripts.size()) - 1).iterator();
        return new Cursor() {
            @Override
            public Event poll(Duration timeout) throws InterruptedException {
                Event next = steps.hasNext() ? steps.next().next() : null;
                if (next == null) {
                    Thread.sleep(Math.min(timeout.toMillis(), 50));
                }
                return next;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void downgradeHold(long frontier) {
        holds.add(frontier);
    }
}
