package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.kafka.progress.ProgressRecord;
import dev.sluice.kafka.sink.CommitHook;
import dev.sluice.testing.ExternalKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under SIGKILL. The server runs as a child process against a Kafka broker that runs
 * in yet another process ({@link ExternalKafka}). Clients write single-row and multi-row
 * transactions of inserts, updates and deletes while the server is SIGKILLed, cycle after cycle, at
 * one of three moments, each of which is made sure to happen:
 * <ul>
 *   <li>during a snapshot: a sink is created on the (large) table and the kill comes once the sink
 *       has staged part of its snapshot and committed nothing (its statistics say so);</li>
 *   <li>mid-stream: after every sink has committed in this incarnation, at a random time;</li>
 *   <li>between produce and commit: with {@link CommitHook#PAUSE_PROPERTY} the server's sinks pause
 *       right before {@code commitTransaction} of a transaction carrying data; the kill comes once one
 *       reports it is paused there.</li>
 * </ul>
 * Two reference sinks (UPSERT and DEBEZIUM) exist from the start; more sinks with snapshots are
 * created along the way (the oldest dropped once three exist). At the end a plain read_committed
 * consumer must see, for every sink, exactly the changelog it owes: the reference sinks every
 * committed change of every key in commit order (no duplicate, no loss), the same timestamps in both,
 * one timestamp per transaction; every other sink the table's state at its snapshot time followed
 * by every change after it, up to the frontier its last progress record claims.
 *
 * <p>{@code -Dsluice.crash.cycles=N} runs N cycles (default 20); a failure prints its seed, and
 * {@code -Dsluice.crash.seed=S} replays it.
 */
class SinkCrashIT {
    private static final int CLIENTS = 2;
    private static final int PRELOADED = 20_000;
    private static final int MAX_EXTRA_SINKS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The moments a kill is aimed at. */
    enum Moment { DURING_SNAPSHOT, MID_STREAM, BETWEEN_PRODUCE_AND_COMMIT }

    @Test
    void readCommittedConsumersSeeExactlyTheChangelogAcrossSigkills() throws Exception {
        long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
        int cycles = Integer.getInteger("sluice.crash.cycles", 20);
        System.out.printf("SinkCrashIT: seed %d, %d cycles (replay with -Dsluice.crash.seed=%d)%n", seed, cycles, seed);
        try {
            new Run(seed, cycles).execute();
        } catch (Throwable failure) {
            throw new AssertionError("SinkCrashIT failed with seed " + seed + "; replay with -Dsluice.crash.seed=" + seed + ": " + failure.getMessage(),
                    failure);
        }
    }

    /** One committed change of a key: the new value of {@code v}, or empty for a delete; and its transaction. */
    record Change(Optional<Integer> value, int transaction) {
    }

    /** One operation of a client transaction. */
    record Operation(int id, Optional<Integer> newValue, boolean insert) {
    }

    /** A client transaction: its operations touch distinct keys. */
    record Transaction(int number, List<Operation> operations) {
    }

    /** A message as the test reads it back: the change it carries (upsert: new value; Debezium: before and after) and its timestamp. */
    record Received(int id, String change, long timestamp) {
    }

    private static String note(int id) {
        return "note of row " + id + " " + "x".repeat(100);
    }

    private static final class Run {
        private final long seed;
        private final int cycles;
        private final Random random;
        private final ExternalKafka kafka = ExternalKafka.shared();
        private final String prefix;
        private final Path pause;
        private final Map<Integer, List<Change>> history = new TreeMap<>();
        private final Map<Integer, Integer> transactionSizes = new HashMap<>();
        private final List<Client> clients = new ArrayList<>();
        private final List<String> extraSinks = new ArrayList<>();
        private final Map<String, String> sinkTopics = new LinkedHashMap<>();
        private final Map<String, String> sinkEnvelopes = new HashMap<>();
        private final Map<String, String> sinkIds = new HashMap<>();
        private final Map<Moment, Integer> hits = new EnumMap<>(Moment.class);
        private int nextTransaction = 1;
        private int sinkCount;
        private ServerProcess server;

        Run(long seed, int cycles) throws IOException {
            this.seed = seed;
            this.cycles = cycles;
            this.random = new Random(seed);
            this.prefix = "crash" + Long.toUnsignedString(seed, 36);
            Path dataDir = Files.createTempDirectory("sluice-sink-crash");
            this.pause = dataDir.resolveSibling(dataDir.getFileName() + "-pause");
            for (Moment moment : Moment.values()) {
                hits.put(moment, 0);
            }
            for (int client = 0; client < CLIENTS; client++) {
                clients.add(new Client(client));
            }
            server = new ServerProcess(dataDir, ServerProcess.freePort(), List.of("--kafka", kafka.bootstrapServers()),
                    List.of("-D" + CommitHook.PAUSE_PROPERTY + "=" + pause));
        }

        void execute() throws Exception {
            try {
                long started = System.nanoTime();
                server.start(WAIT);
                setUp();
                System.out.printf("SinkCrashIT: set up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                List<Moment> moments = schedule();
                for (int cycle = 0; cycle < cycles; cycle++) {
                    runCycle(cycle, moments.get(cycle));
                }
                verify();
            } finally {
                server.close();
            }
        }

        /** Cycle 0 kills during the reference sinks' first snapshot; then every moment at least once, in a seeded order. */
        private List<Moment> schedule() {
            List<Moment> rest = new ArrayList<>();
            for (int cycle = 1; cycle < cycles; cycle++) {
                rest.add(cycle <= 3 ? Moment.values()[cycle % 3] : Moment.values()[random.nextInt(3)]);
            }
            Collections.shuffle(rest, random);
            List<Moment> moments = new ArrayList<>();
            moments.add(Moment.DURING_SNAPSHOT);
            moments.addAll(rest);
            return moments;
        }

        private void setUp() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL, note text NOT NULL)");
                for (int start = 0; start < PRELOADED; start += 1000) {
                    StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
                    for (int id = start; id < start + 1000; id++) {
                        insert.append(id == start ? "" : ", ").append('(').append(id).append(", 0, '").append(note(id)).append("')");
                        history.computeIfAbsent(id, ignored -> new ArrayList<>()).add(new Change(Optional.of(0), 0));
                        clients.get(id % CLIENTS).live.put(id, 0);
                    }
                    statement.execute(insert.toString());
                }
                statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
            }
            createSink("ref_upsert", "UPSERT", 4);
            createSink("ref_debezium", "DEBEZIUM", 3);
        }

        private void createSink(String name, String envelope, int partitions) throws SQLException {
            String topic = prefix + "_" + name;
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SINK " + name + " FROM t INTO KAFKA CONNECTION k (TOPIC '" + topic + "', TOPIC PARTITION COUNT " + partitions
                        + ") KEY (id) FORMAT JSON ENVELOPE " + envelope);
            }
            sinkTopics.put(name, topic);
            sinkEnvelopes.put(name, envelope);
            Map<String, String> ids = new HashMap<>();
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT name, id FROM mz_catalog.mz_sinks")) {
                while (rows.next()) {
                    ids.put(rows.getString(1), rows.getString(2));
                }
            }
            assertThat(ids).as("mz_sinks right after CREATE SINK %s", name).containsKey(name);
            sinkIds.put(name, ids.get(name));
        }

        private void runCycle(int cycle, Moment moment) throws Exception {
            List<String> targets = List.of("ref_upsert", "ref_debezium");
            if (moment == Moment.DURING_SNAPSHOT && cycle > 0) {
                if (extraSinks.size() == MAX_EXTRA_SINKS) {
                    String oldest = extraSinks.remove(0);
                    execute("DROP SINK " + oldest);
                }
                String name = "snap" + ++sinkCount;
                createSink(name, sinkCount % 2 == 0 ? "UPSERT" : "DEBEZIUM", 1 + sinkCount % 3);
                extraSinks.add(name);
                targets = List.of(name);
            }
            // The counters go on across restarts: "committed" below means committed by this incarnation, past these.
            Map<String, long[]> atStart = statistics();
            long started = System.nanoTime();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (Client client : clients) {
                Random clientRandom = new Random(random.nextLong());
                Thread thread = new Thread(() -> client.write(server.jdbcUrl(), writing, clientRandom, this::takeTransactionNumber), "client-" + client.number);
                thread.start();
                threads.add(thread);
            }
            boolean hit = switch (moment) {
                case DURING_SNAPSHOT -> awaitSnapshotInProgress(targets);
                case MID_STREAM -> awaitEveryActiveSinkCommitted(atStart) && sleep(random.nextInt(2000));
                case BETWEEN_PRODUCE_AND_COMMIT -> awaitPausedBeforeCommit(atStart);
            };
            server.kill();
            writing.set(false);
            for (Thread thread : threads) {
                thread.join(WAIT.toMillis());
            }
            for (Client client : clients) {
                if (client.failure != null) {
                    throw new AssertionError("client " + client.number + " failed otherwise than by the kill", client.failure);
                }
            }
            Files.deleteIfExists(pause);
            Files.deleteIfExists(pause.resolveSibling(pause.getFileName() + ".paused"));
            if (hit) {
                hits.merge(moment, 1, Integer::sum);
            }
            System.out.printf("SinkCrashIT cycle %d: SIGKILL %s (%s) after %d ms, %d transactions so far%n", cycle, moment, hit ? "hit" : "missed",
                    (System.nanoTime() - started) / 1_000_000, nextTransaction - 1);
            long restarting = System.nanoTime();
            server.start(WAIT);
            resolveInDoubt();
            System.out.printf("SinkCrashIT cycle %d: restarted and resolved in %d ms%n", cycle, (System.nanoTime() - restarting) / 1_000_000);
        }

        private synchronized int takeTransactionNumber() {
            return nextTransaction++;
        }

        /** Some of the targets' snapshot is staged, none of it committed. */
        private boolean awaitSnapshotInProgress(List<String> targets) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() - deadline < 0) {
                Map<String, long[]> statistics = statistics();
                for (String target : targets) {
                    long[] counters = statistics.get(target);
                    if (counters != null && counters[0] > 0 && counters[0] < PRELOADED && counters[1] == 0) {
                        return true;
                    }
                }
                if (targets.stream().allMatch(target -> statistics.containsKey(target) && statistics.get(target)[1] > 0)) {
                    return false;
                }
                Thread.sleep(5);
            }
            return false;
        }

        /** Every active sink has committed messages since {@code atStart} (its counters when the cycle began). */
        private boolean awaitEveryActiveSinkCommitted(Map<String, long[]> atStart) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() - deadline < 0) {
                Map<String, long[]> statistics = statistics();
                if (activeSinks().stream().allMatch(sink -> statistics.containsKey(sink)
                        && statistics.get(sink)[1] > (atStart.containsKey(sink) ? atStart.get(sink)[1] : 0))) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }

        private boolean awaitPausedBeforeCommit(Map<String, long[]> atStart) throws Exception {
            if (!awaitEveryActiveSinkCommitted(atStart)) {
                return false;
            }
            Path marker = pause.resolveSibling(pause.getFileName() + ".paused");
            Files.writeString(pause, "pause");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() - deadline < 0) {
                if (Files.exists(marker)) {
                    String[] paused = Files.readString(marker).trim().split(" ");
                    return paused.length == 3 && Long.parseLong(paused[2]) > 0;
                }
                Thread.sleep(5);
            }
            return false;
        }

        private static boolean sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return true;
        }

        private List<String> activeSinks() {
            List<String> active = new ArrayList<>(List.of("ref_upsert", "ref_debezium"));
            active.addAll(extraSinks);
            return active;
        }

        /** Per sink name: messages staged and committed since the sink was created (the counters survive restarts). */
        private Map<String, long[]> statistics() throws SQLException {
            Map<String, long[]> result = new HashMap<>();
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT s.name, t.messages_staged, t.messages_committed FROM mz_internal.mz_sink_statistics t "
                            + "JOIN mz_catalog.mz_sinks s ON s.id = t.id")) {
                while (rows.next()) {
                    result.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                }
            }
            return result;
        }

        /** A transaction in flight at the kill is in the table whole or not at all; the model follows the table. */
        private void resolveInDoubt() throws SQLException {
            for (Client client : clients) {
                Transaction transaction = client.inDoubt;
                client.inDoubt = null;
                if (transaction == null) {
                    continue;
                }
                Set<Boolean> applied = new TreeSet<>();
                try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                    for (Operation operation : transaction.operations()) {
                        query.setInt(1, operation.id());
                        try (ResultSet rows = query.executeQuery()) {
                            Optional<Integer> found = rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
                            applied.add(found.equals(operation.newValue()));
                        }
                    }
                }
                assertThat(applied).as("transaction %s is in the table whole or not at all", transaction).hasSize(1);
                if (applied.contains(true)) {
                    commit(client, transaction);
                }
            }
        }

        private synchronized void commit(Client client, Transaction transaction) {
            for (Operation operation : transaction.operations()) {
                history.computeIfAbsent(operation.id(), ignored -> new ArrayList<>()).add(new Change(operation.newValue(), transaction.number()));
                if (operation.newValue().isPresent()) {
                    client.live.put(operation.id(), operation.newValue().get());
                } else {
                    client.live.remove(operation.id());
                }
            }
            transactionSizes.put(transaction.number(), transaction.operations().size());
        }

        private void execute(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(server.jdbcUrl());
        }

        // ------------------------------------------------------------------ verification

        private void verify() throws Exception {
            long started = System.nanoTime();
            try {
                verifyAll();
            } finally {
                System.out.printf("SinkCrashIT: verification took %d ms%n", (System.nanoTime() - started) / 1_000_000);
            }
        }

        private void verifyAll() throws Exception {
            System.out.printf("SinkCrashIT: moments hit %s; %d keys, %d transactions%n", hits, history.size(), nextTransaction - 1);
            for (Moment moment : Moment.values()) {
                assertThat(hits.get(moment)).as("kills that landed %s", moment).isPositive();
            }
            long totalChanges = history.values().stream().mapToLong(List::size).sum();
            Map<Integer, List<Received>> upsert = awaitMessages("ref_upsert", totalChanges);
            Map<Integer, List<Received>> debezium = awaitMessages("ref_debezium", totalChanges);
            Map<Integer, List<Long>> timestamps = verifyReference("ref_upsert", upsert);
            assertThat(clientChangeTimes(verifyReference("ref_debezium", debezium))).as("both reference sinks carry the same commit timestamps")
                    .isEqualTo(clientChangeTimes(timestamps));
            verifyTransactionsShareOneTimestamp(timestamps);

            Map<String, Long> committed = committedFrontiers();
            List<String> others = new ArrayList<>(sinkTopics.keySet());
            others.removeAll(List.of("ref_upsert", "ref_debezium"));
            for (String sink : others) {
                verifySnapshotSink(sink, timestamps, committed);
            }
        }

        /** A reference sink holds exactly every committed change of every key, in order, timestamps rising per key. */
        private Map<Integer, List<Long>> verifyReference(String sink, Map<Integer, List<Received>> received) {
            assertThat(received.keySet()).as("%s: the keys in the topic", sink).isEqualTo(history.keySet());
            Map<Integer, List<Long>> timestamps = new TreeMap<>();
            for (Map.Entry<Integer, List<Change>> key : history.entrySet()) {
                List<String> expected = expectedChanges(sink, key.getValue(), Optional.empty());
                List<Received> messages = received.get(key.getKey());
                assertThat(messages).extracting(Received::change).as("%s: changelog of key %d", sink, key.getKey()).isEqualTo(expected);
                List<Long> times = messages.stream().map(Received::timestamp).toList();
                for (int i = 1; i < times.size(); i++) {
                    assertThat(times.get(i)).as("%s: timestamps of key %d rise", sink, key.getKey()).isGreaterThan(times.get(i - 1));
                }
                timestamps.put(key.getKey(), times);
            }
            return timestamps;
        }

        /** The timestamps of the clients' changes (a preloaded row's first message is in each sink's own snapshot). */
        private Map<Integer, List<Long>> clientChangeTimes(Map<Integer, List<Long>> timestamps) {
            Map<Integer, List<Long>> times = new TreeMap<>();
            timestamps.forEach((id, list) -> {
                List<Change> changes = history.get(id);
                List<Long> client = new ArrayList<>();
                for (int i = 0; i < changes.size(); i++) {
                    if (changes.get(i).transaction() > 0) {
                        client.add(list.get(i));
                    }
                }
                times.put(id, client);
            });
            return times;
        }

        private void verifyTransactionsShareOneTimestamp(Map<Integer, List<Long>> timestamps) {
            Map<Integer, Set<Long>> perTransaction = new HashMap<>();
            Map<Integer, Integer> seen = new HashMap<>();
            for (Map.Entry<Integer, List<Change>> key : history.entrySet()) {
                for (int i = 0; i < key.getValue().size(); i++) {
                    int transaction = key.getValue().get(i).transaction();
                    if (transaction > 0) {
                        perTransaction.computeIfAbsent(transaction, ignored -> new TreeSet<>()).add(timestamps.get(key.getKey()).get(i));
                        seen.merge(transaction, 1, Integer::sum);
                    }
                }
            }
            perTransaction.forEach((transaction, times) -> assertThat(times).as("transaction %d is one timestamp", transaction).hasSize(1));
            assertThat(seen).as("every committed transaction reached the topic whole").isEqualTo(transactionSizes);
        }

        /**
         * A sink created later: its snapshot time is its earliest message's timestamp; it holds the state of every key then,
         * followed by every change after it and before the frontier of its last committed progress record.
         */
        private void verifySnapshotSink(String sink, Map<Integer, List<Long>> timestamps, Map<String, Long> committed) throws Exception {
            boolean active = extraSinks.contains(sink);
            Map<Integer, List<Received>> received = Map.of();
            Map<Integer, List<String>> expected = Map.of();
            long lastChange = timestamps.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
            long deadline = System.nanoTime() + WAIT.toNanos();
            do {
                received = messages(sink);
                Optional<Long> frontier = Optional.ofNullable(committedFrontiers().get(sink));
                long asOf = received.values().stream().flatMap(List::stream).mapToLong(Received::timestamp).min().orElse(Long.MAX_VALUE);
                expected = new TreeMap<>();
                for (Map.Entry<Integer, List<Change>> key : history.entrySet()) {
                    List<String> changes = expectedAfter(sink, key.getValue(), timestamps.get(key.getKey()), asOf, frontier.orElse(Long.MIN_VALUE));
                    if (!changes.isEmpty()) {
                        expected.put(key.getKey(), changes);
                    }
                }
                boolean caughtUp = frontier.isPresent() && frontier.get() > lastChange;
                if (!active || flatten(received).equals(expected) && caughtUp) {
                    break;
                }
                Thread.sleep(500);
            } while (System.nanoTime() - deadline < 0);
            assertThat(flatten(received)).as("%s (%s): snapshot then every later change, exactly once, in order", sink, active ? "running" : "dropped")
                    .isEqualTo(expected);
            if (active) {
                assertThat(committedFrontiers().get(sink)).as("%s caught up with every change", sink).isGreaterThan(lastChange);
            }
        }

        private static Map<Integer, List<String>> flatten(Map<Integer, List<Received>> received) {
            Map<Integer, List<String>> changes = new TreeMap<>();
            received.forEach((id, messages) -> changes.put(id, messages.stream().map(Received::change).toList()));
            return changes;
        }

        /** What a sink with snapshot at {@code asOf} owes for one key, up to {@code frontier} (exclusive). */
        private List<String> expectedAfter(String sink, List<Change> changes, List<Long> times, long asOf, long frontier) {
            if (frontier == Long.MIN_VALUE || asOf == Long.MAX_VALUE) {
                return List.of();
            }
            Optional<Integer> state = Optional.empty();
            List<Change> later = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                long time = times.get(i);
                if (time <= asOf) {
                    state = changes.get(i).value();
                } else if (time < frontier) {
                    later.add(changes.get(i));
                }
            }
            return expectedChanges(sink, later, state);
        }

        /** The messages a sink emits for a key's changes, after a snapshot holding {@code snapshot} (if any). */
        private List<String> expectedChanges(String sink, List<Change> changes, Optional<Integer> snapshot) {
            boolean debezium = sinkEnvelopes.get(sink).equals("DEBEZIUM");
            List<String> expected = new ArrayList<>();
            Optional<Integer> before = Optional.empty();
            if (snapshot.isPresent()) {
                expected.add(debezium ? "null->" + snapshot.get() : "v=" + snapshot.get());
                before = snapshot;
            }
            for (Change change : changes) {
                if (debezium) {
                    expected.add(before.map(String::valueOf).orElse("null") + "->" + change.value().map(String::valueOf).orElse("null"));
                } else {
                    expected.add(change.value().map(value -> "v=" + value).orElse("delete"));
                }
                before = change.value();
            }
            return expected;
        }

        private Map<Integer, List<Received>> awaitMessages(String sink, long count) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            Map<Integer, List<Received>> received = messages(sink);
            while (received.values().stream().mapToLong(List::size).sum() < count && System.nanoTime() - deadline < 0) {
                Thread.sleep(500);
                received = messages(sink);
            }
            return received;
        }

        /** The sink's topic read by a plain read_committed consumer, per key in partition order. */
        private Map<Integer, List<Received>> messages(String sink) throws IOException {
            boolean debezium = sinkEnvelopes.get(sink).equals("DEBEZIUM");
            Map<Integer, List<Received>> perKey = new TreeMap<>();
            for (KafkaReader.Message message : KafkaReader.readCommitted(kafka.bootstrapServers(), sinkTopics.get(sink))) {
                int id = JSON.readTree(message.key()).get("id").asInt();
                String change;
                if (debezium) {
                    JsonNode value = JSON.readTree(message.value());
                    change = value(id, value.get("before")) + "->" + value(id, value.get("after"));
                } else {
                    change = message.value() == null ? "delete" : "v=" + value(id, JSON.readTree(message.value()));
                }
                long timestamp = Long.parseLong(message.headers().get("materialize-timestamp"));
                perKey.computeIfAbsent(id, ignored -> new ArrayList<>()).add(new Received(id, change, timestamp));
            }
            return perKey;
        }

        private static String value(int id, JsonNode row) {
            if (row == null || row.isNull()) {
                return "null";
            }
            assertThat(row.get("id").asInt()).isEqualTo(id);
            assertThat(row.get("note").asText()).isEqualTo(note(id));
            return row.get("v").asText();
        }

        /** Per sink name, the frontier of its newest committed progress record. */
        private Map<String, Long> committedFrontiers() throws SQLException {
            String progressTopic;
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT sink_progress_topic FROM mz_catalog.mz_kafka_connections")) {
                rows.next();
                progressTopic = rows.getString(1);
            }
            Map<String, String> names = new HashMap<>();
            sinkIds.forEach((name, id) -> names.put("mz-sink-" + id, name));
            Map<String, Long> frontiers = new HashMap<>();
            for (KafkaReader.Message message : KafkaReader.readCommitted(kafka.bootstrapServers(), progressTopic)) {
                String name = names.get(message.key());
                if (name != null && message.value() != null) {
                    frontiers.put(name, ProgressRecord.parse(message.value().getBytes(StandardCharsets.UTF_8)).frontier().get());
                }
            }
            return frontiers;
        }

        /** A client owns the keys {@code id % CLIENTS == number} and knows their current values. */
        private final class Client {
            private final int number;
            private final Map<Integer, Integer> live = new TreeMap<>();
            private int nextId;
            private volatile Transaction inDoubt;
            /** Anything but the connection dying with the server. */
            private volatile Throwable failure;

            Client(int number) {
                this.number = number;
                this.nextId = PRELOADED + number;
            }

            void write(String url, AtomicBoolean writing, Random random, java.util.function.IntSupplier numbers) {
                try (Connection connection = DriverManager.getConnection(url + "&prepareThreshold=1"); Statement statement = connection.createStatement();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
                        PreparedStatement update = connection.prepareStatement("UPDATE t SET v = ? WHERE id = ?");
                        PreparedStatement delete = connection.prepareStatement("DELETE FROM t WHERE id = ?")) {
                    while (writing.get()) {
                        Transaction transaction = plan(random, numbers.getAsInt());
                        inDoubt = transaction;
                        if (execute(statement, insert, update, delete, transaction)) {
                            commit(this, transaction);
                        }
                        inDoubt = null;
                    }
                } catch (SQLException killed) {
                    String state = String.valueOf(killed.getSQLState());
                    if (!state.startsWith("08") && !state.startsWith("57P")) {
                        failure = killed;
                    }
                } catch (RuntimeException | AssertionError e) {
                    failure = e;
                }
            }

            /** True when committed; false when refused as a serialization conflict with the other client (nothing applied). */
            private boolean execute(Statement statement, PreparedStatement insert, PreparedStatement update, PreparedStatement delete,
                    Transaction transaction) throws SQLException {
                boolean multi = transaction.operations().size() > 1;
                try {
                    if (multi) {
                        statement.execute("BEGIN");
                    }
                    for (Operation operation : transaction.operations()) {
                        int count = change(operation, insert, update, delete).executeUpdate();
                        if (count != 1) {
                            throw new AssertionError(operation + " changed " + count + " rows");
                        }
                    }
                    if (multi) {
                        statement.execute("COMMIT");
                    }
                    return true;
                } catch (SQLException e) {
                    if (!"40001".equals(e.getSQLState())) {
                        throw e;
                    }
                    if (multi) {
                        statement.execute("ROLLBACK");
                    }
                    return false;
                }
            }

            private Transaction plan(Random random, int transactionNumber) {
                int size = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(3);
                List<Operation> operations = new ArrayList<>();
                Set<Integer> touched = new TreeSet<>();
                List<Integer> keys = new ArrayList<>(live.keySet());
                for (int i = 0; i < size; i++) {
                    int kind = random.nextInt(100);
                    if (kind < 35 || keys.isEmpty()) {
                        int id = nextId;
                        nextId += CLIENTS;
                        operations.add(new Operation(id, Optional.of(0), true));
                        continue;
                    }
                    int id = keys.get(random.nextInt(keys.size()));
                    if (!touched.add(id)) {
                        continue;
                    }
                    operations.add(kind < 85 ? new Operation(id, Optional.of(live.get(id) + 1), false) : new Operation(id, Optional.empty(), false));
                }
                return new Transaction(transactionNumber, operations);
            }

            private PreparedStatement change(Operation operation, PreparedStatement insert, PreparedStatement update, PreparedStatement delete)
                    throws SQLException {
                if (operation.insert()) {
                    insert.setInt(1, operation.id());
                    insert.setInt(2, 0);
                    insert.setString(3, note(operation.id()));
                    return insert;
                }
                if (operation.newValue().isPresent()) {
                    update.setInt(1, operation.newValue().get());
                    update.setInt(2, operation.id());
                    return update;
                }
                delete.setInt(1, operation.id());
                return delete;
            }
        }
    }
}
