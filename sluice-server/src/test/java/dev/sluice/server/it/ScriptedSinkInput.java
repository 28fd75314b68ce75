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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A sink input over a table {@code (k int PRIMARY KEY)} that plays a fixed script of steps, so a
 * {@link dev.sluice.kafka.sink.KafkaSink} can be driven through exact timestamps against the real
 * broker. The n-th {@link #open} plays the n-th script (the last one for later opens); after its
 * script an input stays idle. Records how it was opened and every hold downgrade.
 */
final class ScriptedSinkInput implements SinkInput {
    static final RelationDesc DESC = new RelationDesc(List.of(new Column("k", SqlType.INTEGER, false)), List.of(List.of(0)));

    /**
     * One step of the script: an event, or a throw, that one poll returns; or a pause, during which every poll
     * finds nothing, until it is over.
     */
    interface Step {
    }

    /** A step that one poll plays: returns its event or throws. */
    @FunctionalInterface
    interface Emit extends Step {
        Event next();
    }

    /** A step during which the input has nothing, until {@code over} holds (it is asked with the input). */
    @FunctionalInterface
    interface Pause extends Step {
        boolean over(ScriptedSinkInput input);
    }

    /** How the sink opened the input. */
    record Opened(long asOf, boolean withSnapshot) {
    }

    private static final long IDLE_MILLIS = 300;

    private final long readableSince;
    private final List<List<Step>> scripts;
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final List<Long> holds = new CopyOnWriteArrayList<>();

    ScriptedSinkInput(long readableSince, List<List<Step>> scripts) {
        this.readableSince = readableSince;
        this.scripts = List.copyOf(scripts);
    }

    static Step data(int key, long time) {
        return (Emit) () -> new Event.Data(List.of(new Update(Row.of(key), time, 1)));
    }

    static Step progress(long upper) {
        return (Emit) () -> new Event.Progress(upper);
    }

    /**
     * A pause of {@value #IDLE_MILLIS} ms from the first poll that reaches it: the sink stops draining and acts on the
     * frontier it has seen. Use it only where the outcome does not hang on the sink having acted within that time;
     * {@link #idleUntilHeld} is exact.
     */
    static Step idle() {
        long[] started = {0};
        return (Pause) input -> {
            if (started[0] == 0) {
                started[0] = System.nanoTime();
            }
            return System.nanoTime() - started[0] >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
        };
    }

    /** A pause until the sink has committed {@code frontier} (it moved its hold there): what follows lands in a later transaction. */
    static Step idleUntilHeld(long frontier) {
        return (Pause) input -> input.holds.contains(frontier);
    }

    static Step fail(Error error) {
        return (Emit) () -> {
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
        PeekingSteps steps = new PeekingSteps(scripts.get(Math.min(opened.size(), scripts.size()) - 1));
        return new Cursor() {
            @Override
            public Event poll(Duration timeout) throws InterruptedException {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (steps.hasNext()) {
                    Step step = steps.peek();
                    if (step instanceof Emit emit) {
                        steps.next();
                        return emit.next();
                    }
                    if (((Pause) step).over(ScriptedSinkInput.this)) {
                        steps.next();
                    } else if (System.nanoTime() - deadline >= 0) {
                        return null;
                    } else {
                        Thread.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                    }
                }
                Thread.sleep(Math.min(timeout.toMillis(), 50));
                return null;
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

    /** The steps of one script, in order, with a look at the next one before it is passed. */
    private static final class PeekingSteps {
        private final List<Step> steps;
        private int next;

        PeekingSteps(List<Step> steps) {
            this.steps = steps;
        }

        boolean hasNext() {
            return next < steps.size();
        }

        Step peek() {
            return steps.get(next);
        }

        void next() {
            next++;
        }
    }
}
