package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka sink scenarios every envelope and format must pass, checked by reading the topic back
 * with a plain read_committed consumer: exact key and value bytes, the partition computed here
 * from the key bytes (SeaHash mod the partition count, keyless to 0), the
 * {@code materialize-timestamp} header, per-key order, no duplicates, and the sink's statistics.
 * A variant (one subclass per envelope and format) says how its rows are written in SQL and
 * encoded in Kafka, and switches off a scenario that cannot apply to it in {@link #scenarios()}.
 */
@ExtendWith(DropSinksAfterEach.class)
abstract class KafkaSinkConformanceSuite {
    /** Scenarios a variant can switch off. */
    enum Scenario {
        /** An UPDATE that keeps the key (needs a column besides the key). */
        UPDATE_IN_PLACE,
        /** The same row held twice by a table without a key. */
        DUPLICATE_ROWS,
        /** WITH (SNAPSHOT = false). */
        NO_SNAPSHOT
    }

    /** A row of the test tables: key {@code k} and, where the variant has one, value column {@code v}. */
    record Entry(int k, String v) {
    }

    private static final int PARTITIONS = 3;

    /** The table's columns, {@code k} first, with {@code PRIMARY KEY (k)} when {@code primaryKey}. */
    abstract String columns(boolean primaryKey);

    /** The clauses after {@code INTO KAFKA CONNECTION kafka (…)}: KEY, FORMAT, ENVELOPE. */
    abstract String sinkClauses(boolean keyNotEnforced);

    /** The SQL tuple of a row, e.g. {@code (1, 'a')}. */
    abstract String literal(Entry entry);

    /** The SQL literal of the row's key column, for WHERE clauses. */
    String keyLiteral(Entry entry) {
        return Integer.toString(entry.k());
    }

    /** The message key's bytes, or null for keyless messages. */
    abstract byte[] key(Entry entry);

    /** The message value's bytes for the change from {@code before} to {@code after}; null for a tombstone. */
    abstract byte[] value(Optional<Entry> before, Optional<Entry> after);

    /** Bytes at the start of a message key that the partition hash skips: Avro's 5-byte Confluent header (§6.1), else none. */
    int keyHashOffset() {
        return 0;
    }

    /** Called after CREATE SINK, before any expected message is computed (Avro variants learn their registered schema ids). */
    void sinkCreated(String topic) throws Exception {
    }

    /** The scenarios this variant runs; the others are reported as skipped. */
    Set<Scenario> scenarios() {
        return EnumSet.allOf(Scenario.class);
    }

    /** {@code KEY (k)}, with {@code NOT ENFORCED} when asked. */
    static String keyClause(boolean notEnforced) {
        return "KEY (k)" + (notEnforced ? " NOT ENFORCED" : "");
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Expected(Entry keyOf, byte[] key, byte[] value) {
    }

    private String createSink(Connection connection, String table, String options, boolean notEnforced, String with) throws Exception {
        String sink = table + "_sink";
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SINK " + sink + " FROM " + table + " INTO KAFKA CONNECTION kafka (TOPIC '" + table + "'"
                    + options + ") " + sinkClauses(notEnforced) + with);
            if (notEnforced && sinkClauses(true).contains("UPSERT")) {
                SQLWarning warning = statement.getWarnings();
                assertThat(warning == null ? null : warning.getMessage()).as("NOT ENFORCED notice").isEqualTo("upsert key not validated to be unique");
            }
        }
        sinkCreated(table);
        return sink;
    }

    private List<Expected> change(Optional<Entry> before, Optional<Entry> after) {
        Entry keyed = after.orElseGet(before::orElseThrow);
        return List.of(new Expected(keyed, key(keyed), value(before, after)));
    }

    /**
     * Checks that the topic holds exactly {@code expected}: each message in the partition its key
     * hashes to, each key's messages in the expected order, nothing else.
     */
    private void assertMessages(List<SinkTestKit.Record> records, List<Expected> expected) {
        assertThat(records).as("message count").hasSize(expected.size());
        Map<Integer, List<String>> expectedPerKey = new LinkedHashMap<>();
        for (Expected message : expected) {
            expectedPerKey.computeIfAbsent(message.keyOf().k(), ignored -> new ArrayList<>()).add(render(message.key(), message.value()));
        }
        Map<String, List<String>> actualPerKey = new LinkedHashMap<>();
        for (SinkTestKit.Record record : records) {
            int partition = record.key() == null ? 0
                    : SinkTestKit.partitionOf(SinkTestKit.seaHash(Arrays.copyOfRange(record.key(), keyHashOffset(), record.key().length)), PARTITIONS);
            assertThat(record.partition()).as("partition of %s", render(record.key(), record.value())).isEqualTo(partition);
            actualPerKey.computeIfAbsent(record.key() == null ? "null" : Arrays.toString(record.key()), ignored -> new ArrayList<>())
                    .add(render(record.key(), record.value()));
        }
        List<String> flattenedExpected = new ArrayList<>();
        expectedPerKey.values().forEach(flattenedExpected::addAll);
        List<String> flattenedActual = new ArrayList<>();
        actualPerKey.values().forEach(flattenedActual::addAll);
        assertThat(flattenedActual).containsExactlyInAnyOrderElementsOf(flattenedExpected);
        if (records.stream().allMatch(record -> record.key() != null)) {
            // Keyed: every key's own sequence is in order.
            for (List<String> perKey : expectedPerKey.values()) {
                String first = perKey.get(0);
                List<String> actual = actualPerKey.values().stream().filter(list -> list.contains(first)).findFirst().orElseThrow();
                assertThat(actual).containsExactlyElementsOf(perKey);
            }
        }
    }

    private static String render(byte[] key, byte[] value) {
        return (key == null ? "null" : Arrays.toString(key)) + " -> " + (value == null ? "null" : Arrays.toString(value))
                + (value == null ? "" : " (" + new String(value, StandardCharsets.UTF_8) + ")");
    }

    private static void assertStatistics(Connection connection, String sink, List<SinkTestKit.Record> records) throws Exception {
        long bytes = records.stream().mapToLong(record -> (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length)).sum();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT messages_staged, "
                + "messages_committed, bytes_staged, bytes_committed FROM mz_internal.mz_sink_statistics s JOIN mz_catalog.mz_sinks k ON k.id = s.id "
                + "WHERE k.name = '" + sink + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(2)).as("messages_committed").isEqualTo(records.size());
            assertThat(rows.getLong(4)).as("bytes_committed").isEqualTo(bytes);
            assertThat(rows.getLong(1)).as("messages_staged").isEqualTo(records.size());
            assertThat(rows.getLong(3)).as("bytes_staged").isEqualTo(bytes);
        }
    }

    @Test
    void snapshotThenInsertsUpdatesAndDeletesArriveExactlyOnceByteForByte() throws Exception {
        String table = SinkTestKit.unique("conformance");
        Entry one = new Entry(1, "a");
        Entry two = new Entry(2, "b");
        Entry three = new Entry(3, "c");
        Entry four = new Entry(4, "d");
        Entry oneUpdated = new Entry(1, "e");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + table + " " + columns(true),
                    "INSERT INTO " + table + " VALUES " + literal(one) + ", " + literal(two) + ", " + literal(three));
            String sink = createSink(connection, table, ", TOPIC PARTITION COUNT " + PARTITIONS, false, "");
            List<Expected> expected = new ArrayList<>();
            for (Entry entry : List.of(one, two, three)) {
                expected.addAll(change(Optional.empty(), Optional.of(entry)));
            }
            List<SinkTestKit.Record> snapshot = SinkTestKit.awaitExactly(connection, sink, table, 3);
            assertMessages(snapshot, expected);
            long asOf = snapshot.get(0).timestamp();
            assertThat(snapshot).allSatisfy(record -> {
                assertThat(record.headers().get(0).key()).isEqualTo("materialize-timestamp");
                assertThat(record.timestamp()).as("snapshot rows carry as_of").isEqualTo(asOf);
            });

            execute(connection, "INSERT INTO " + table + " VALUES " + literal(four));
            expected.addAll(change(Optional.empty(), Optional.of(four)));
            if (scenarios().contains(Scenario.UPDATE_IN_PLACE)) {
                execute(connection, "UPDATE " + table + " SET v = '" + oneUpdated.v() + "' WHERE k = " + keyLiteral(one));
                expected.addAll(change(Optional.of(one), Optional.of(oneUpdated)));
            }
            execute(connection, "DELETE FROM " + table + " WHERE k = " + keyLiteral(two));
            expected.addAll(change(Optional.of(two), Optional.empty()));
            List<SinkTestKit.Record> all = SinkTestKit.awaitExactly(connection, sink, table, expected.size());
            assertMessages(all, expected);
            assertThat(all).allSatisfy(record -> {
                assertThat(record.headers().get(0).key()).isEqualTo("materialize-timestamp");
                assertThat(record.headers()).hasSize(1);
            });
            assertThat(all.stream().filter(record -> record.timestamp() != asOf).map(SinkTestKit.Record::timestamp).distinct().count())
                    .as("one timestamp per write transaction after the snapshot").isEqualTo(expected.size() - 3);
            assertThat(all).allSatisfy(record -> assertThat(record.timestamp()).isGreaterThanOrEqualTo(asOf));
            assertStatistics(connection, sink, all);
        }
    }

    @Test
    void sameRowHeldTwiceGivesTwoMessagesAndTwoRetractions() throws Exception {
        assumeThat(scenarios()).as("variant runs DUPLICATE_ROWS").contains(Scenario.DUPLICATE_ROWS);
        String table = SinkTestKit.unique("duplicates");
        Entry entry = new Entry(5, "x");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + table + " " + columns(false));
            String sink = createSink(connection, table, ", TOPIC PARTITION COUNT " + PARTITIONS, true, "");
            SinkTestKit.awaitNextProgress(connection, sink);
            execute(connection, "INSERT INTO " + table + " VALUES " + literal(entry) + ", " + literal(entry));
            execute(connection, "DELETE FROM " + table + " WHERE k = " + keyLiteral(entry));
            List<Expected> expected = new ArrayList<>();
            expected.addAll(change(Optional.empty(), Optional.of(entry)));
            expected.addAll(change(Optional.empty(), Optional.of(entry)));
            expected.addAll(change(Optional.of(entry), Optional.empty()));
            expected.addAll(change(Optional.of(entry), Optional.empty()));
            assertMessages(SinkTestKit.awaitExactly(connection, sink, table, 4), expected);
        }
    }

    @Test
    void withoutSnapshotOnlyLaterChangesAreWritten() throws Exception {
        assumeThat(scenarios()).as("variant runs NO_SNAPSHOT").contains(Scenario.NO_SNAPSHOT);
        String table = SinkTestKit.unique("nosnapshot");
        Entry before = new Entry(1, "a");
        Entry after = new Entry(2, "b");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + table + " " + columns(true), "INSERT INTO " + table + " VALUES " + literal(before));
            String sink = createSink(connection, table, ", TOPIC PARTITION COUNT " + PARTITIONS, false, " WITH (SNAPSHOT = false)");
            SinkTestKit.awaitNextProgress(connection, sink);
            execute(connection, "INSERT INTO " + table + " VALUES " + literal(after));
            assertMessages(SinkTestKit.awaitExactly(connection, sink, table, 1), change(Optional.empty(), Optional.of(after)));
        }
    }
}
