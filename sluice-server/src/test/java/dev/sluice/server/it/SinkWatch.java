package dev.sluice.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a failure test watches: a sink's status (through SQL, as a user would) and its topic (read_committed). */
final class SinkWatch {
    /** One row of {@code mz_internal.mz_sink_statuses} or {@code mz_sink_status_history}. */
    record Status(String status, Optional<String> error, Optional<String> details) {
        @Override
        public String toString() {
            return status + error.map(text -> " (" + text + ")").orElse("") + details.map(text -> " " + text).orElse("");
        }
    }

    private final String jdbcUrl;

    SinkWatch(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** The sink's current row in {@code mz_internal.mz_sink_statuses}. */
    Status status(String sink) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement query = connection.prepareStatement("SELECT status, error, details FROM mz_internal.mz_sink_statuses WHERE name = ?")) {
            query.setString(1, sink);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new AssertionError("no sink " + sink);
                }
                return new Status(rows.getString(1), Optional.ofNullable(rows.getString(2)), Optional.ofNullable(rows.getString(3)));
            }
        }
    }

    /** Waits until the sink shows {@code status}; the row then, or an error naming the history. */
    Status awaitStatus(String sink, String status, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Status current = status(sink);
            if (current.status().equals(status)) {
                return current;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("sink " + sink + " did not become " + status + " within " + timeout + "; history: " + history(sink));
            }
            Thread.sleep(100);
        }
    }

    /** Every status the sink went through, oldest first. */
    List<Status> history(String sink) throws SQLException {
        List<Status> history = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl); PreparedStatement query = connection.prepareStatement(
                "SELECT h.status, h.error, h.details FROM mz_internal.mz_sink_status_history h JOIN mz_catalog.mz_sinks s ON s.id = h.sink_id "
                        + "WHERE s.name = ? ORDER BY h.occurred_at")) {
            query.setString(1, sink);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    history.add(new Status(rows.getString(1), Optional.ofNullable(rows.getString(2)), Optional.ofNullable(rows.getString(3))));
                }
            }
        }
        return history;
    }

    /** Reads {@code topic} read_committed until it holds at least {@code count} messages (or the timeout passes), and returns them all. */
    static List<KafkaReader.Message> awaitMessages(String bootstrap, String topic, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<KafkaReader.Message> messages = List.of();
        while (System.nanoTime() - deadline < 0) {
            try {
                messages = KafkaReader.readCommitted(bootstrap, topic);
                if (messages.size() >= count) {
                    return messages;
                }
            } catch (RuntimeException notYet) {
                // The topic does not exist yet.
            }
            Thread.sleep(200);
        }
        return messages;
    }
}
