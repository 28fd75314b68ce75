package dev.sluice.kafka.sink;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import java.time.Duration;
import java.util.List;

/** What a sink reads, implemented by the server over storage. */
public interface SinkInput {
    RelationDesc desc();

    /** The earliest time the input can be read at now. */
    long readableSince();

    /**
     * The snapshot (if {@code withSnapshot}) of the contents as of {@code asOf} as updates at time
     * {@code asOf}, streamed and followed by the frontier advance {@code asOf + 1}; then every change after
     * {@code asOf}, and frontier advances. Caller closes.
     */
    Cursor open(long asOf, boolean withSnapshot);

    /** Everything before {@code frontier} is committed: the input must stay readable at {@code frontier - 1}. */
    void downgradeHold(long frontier);

    /** A pull-based read of the input. */
    interface Cursor extends AutoCloseable {
        /** The next event or null after {@code timeout}. */
        Event poll(Duration timeout) throws InterruptedException;

        @Override
        void close();
    }

    /**
     * Input events: data (non-decreasing times) and frontier advances. After a {@link Data} or a {@link Behind}
     * the input has more to deliver at once (at least a frontier advance), after a {@link Progress} it is caught up.
     */
    sealed interface Event {
        /** Updates; all updates of one time arrive in one event, except the snapshot, which may span many. */
        record Data(List<Update> updates) implements Event {
            public Data {
                updates = List.copyOf(updates);
            }
        }

        /** Every update before {@code upper} has been delivered, and nothing more is available now. */
        record Progress(long upper) implements Event {
        }

        /**
         * Every update before {@code upper} has been delivered, and more is already waiting: a frontier the sink may
         * commit at when it does not want to wait for the input to catch up.
         */
        record Behind(long upper) implements Event {
        }
    }
}
