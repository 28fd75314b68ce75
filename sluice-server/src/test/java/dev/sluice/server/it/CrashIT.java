package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Kills the server (SIGKILL) at random points while clients commit single-row and multi-row
 * transactions, restarts it, and checks that every acknowledged transaction is there whole and no
 * transaction is there in part. {@code -Dsluice.crash.cycles=N} runs more cycles;
 * {@code -Dsluice.crash.seed=S} replays a failure.
 */
class CrashIT {
    private static final int ROWS_PER_MULTI = 4;

    @Test
    void acknowledgedTransactionsSurviveSigkillWholeAndNoneArePartial() throws Exception {
        long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
        int cycles = Integer.getInteger("sluice.crash.cycles", 6);
        Random random = new Random(seed);
        Path dataDir = Files.createTempDirectory("sluice-crash");
        int port = ServerProcess.freePort();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> expectedSize = new ConcurrentHashMap<>();
        AtomicInteger nextTransaction = new AtomicInteger();
        try (ServerProcess server = new ServerProcess(dataDir, port, List.of("--kafka", "127.0.0.1:1"))) {
            server.start(Duration.ofSeconds(60));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (txn int NOT NULL, part int NOT NULL, payload text, PRIMARY KEY (txn, part))");
            }
            for (int cycle = 0; cycle < cycles; cycle++) {
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                for (int client = 0; client < 3; client++) {
                    boolean multi = client > 0;
                    Thread thread = new Thread(() -> write(server.jdbcUrl(), multi, running, nextTransaction, acknowledged, expectedSize));
                    thread.start();
                    clients.add(thread);
                }
                Thread.sleep(300 + random.nextInt(1500));
                server.kill();
                running.set(false);
                for (Thread thread : clients) {
                    thread.join(10_000);
                }
                server.start(Duration.ofSeconds(60));
                verify(server.jdbcUrl(), acknowledged, expectedSize, seed, cycle);
            }
            assertThat(acknowledged).as("seed %d: clients committed something", seed).isNotEmpty();
        }
    }

    private static void write(String url, boolean multi, AtomicBoolean running, AtomicInteger nextTransaction, Set<Integer> acknowledged,
            Map<Integer, Integer> expectedSize) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            while (running.get()) {
                int txn = nextTransaction.incrementAndGet();
                int size = multi ? ROWS_PER_MULTI : 1;
                expectedSize.put(txn, size);
                if (multi) {
                    statement.execute("BEGIN");
                    for (int part = 0; part < size; part++) {
                        statement.execute("INSERT INTO t VALUES (" + txn + ", " + part + ", 'p" + txn + "')");
                    }
                    statement.execute("COMMIT");
                } else {
                    statement.execute("INSERT INTO t VALUES (" + txn + ", 0, 'single')");
                }
                acknowledged.add(txn);
            }
        } catch (SQLException expectedWhenKilled) {
            // The server died mid-statement: that transaction is unacknowledged.
        }
    }

    private static void verify(String url, Set<Integer> acknowledged, Map<Integer, Integer> expectedSize, long seed, int cycle) throws SQLException {
        Map<Integer, Integer> found = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT txn, count(*) FROM t GROUP BY txn")) {
            while (rows.next()) {
                found.put(rows.getInt(1), rows.getInt(2));
            }
        }
        for (int txn : acknowledged) {
            assertThat(found).as("seed %d cycle %d: acknowledged transaction %d is present", seed, cycle, txn).containsKey(txn);
        }
        found.forEach((txn, count) -> assertThat(count).as("seed %d cycle %d: transaction %d is whole", seed, cycle, txn)
                .isEqualTo(expectedSize.get(txn)));
    }
}
