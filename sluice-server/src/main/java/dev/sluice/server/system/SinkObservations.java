package dev.sluice.server.system;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the system tables show about running sinks: status history and statistics. */
public interface SinkObservations {
    /** Every status change, oldest first. */
    List<StatusEvent> statusHistory();

    /** Current counters per sink. */
    List<Statistics> statistics();

    /** One row of {@code mz_internal.mz_sink_status_history}. */
    record StatusEvent(Instant occurredAt, String sinkId, String status, Optional<String> error, Optional<String> detailsJson) {
        public StatusEvent {
            requireNonNull(occurredAt, "occurredAt is null");
            requireNonNull(sinkId, "sinkId is null");
            requireNonNull(status, "status is null");
            requireNonNull(error, "error is null");
            requireNonNull(detailsJson, "detailsJson is null");
        }
    }

    /** One row of {@code mz_internal.mz_sink_statistics}. */
    record Statistics(String sinkId, long messagesStaged, long messagesCommitted, long bytesStaged, long bytesCommitted) {
        public Statistics {
            requireNonNull(sinkId, "sinkId is null");
        }
    }

    SinkObservations NONE = new SinkObservations() {
        @Override
        public List<StatusEvent> statusHistory() {
            return List.of();
        }

        @Override
        public List<Statistics> statistics() {
            return List.of();
        }
    };
}
