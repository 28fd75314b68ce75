package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * A secret's value is never shown again: not by SHOW, SHOW CREATE, catalog tables, errors or logs.
 * The server runs as a child process so its whole log (stdout and the data directory's log file)
 * can be searched for the values.
 */
class SecretsIT {
    private static final String PASSWORD = "s3cr3t-hunter2-value";
    private static final String ALTERED = "altered-s3cr3t-value";
    private static final String DECODED = "decoded-s3cr3t-bytes";

    @Test
    void secretValuesAppearInNoResultErrorOrLogLine() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-secrets");
        List<String> everythingShown = new ArrayList<>();
        try (ServerProcess server = new ServerProcess(dataDir, ServerProcess.freePort(), List.of("--kafka", "127.0.0.1:1"))) {
            server.start(Duration.ofSeconds(60));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SECRET pw AS '" + PASSWORD + "'");
                String base64 = java.util.Base64.getEncoder().encodeToString(DECODED.getBytes(StandardCharsets.UTF_8));
                statement.execute("CREATE SECRET decoded AS decode('" + base64 + "', 'base64')");
                statement.execute("CREATE SECRET IF NOT EXISTS pw AS '" + PASSWORD + "'");
                collectWarnings(statement, everythingShown);
                everythingShown.add(errorOf(() -> statement.execute("CREATE SECRET pw AS '" + PASSWORD + "'")));
                everythingShown.add(errorOf(() -> statement.execute("CREATE SECRET broken AS '" + PASSWORD + "' + 1")));
                everythingShown.add(errorOf(() -> statement.execute("ALTER SECRET missing AS '" + PASSWORD + "'")));
                statement.execute("ALTER SECRET pw AS '" + ALTERED + "'");
                // A connection that uses the secret and fails validation: the error names the broker, not the password.
                everythingShown.add(errorOf(() -> statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '127.0.0.1:1', "
                        + "SECURITY PROTOCOL SASL_PLAINTEXT, SASL MECHANISMS 'PLAIN', SASL USERNAME 'u', SASL PASSWORD SECRET pw)")));
                statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '127.0.0.1:1', SECURITY PROTOCOL SASL_PLAINTEXT, "
                        + "SASL MECHANISMS 'PLAIN', SASL USERNAME SECRET decoded, SASL PASSWORD SECRET pw) WITH (VALIDATE = false)");
                everythingShown.add(errorOf(() -> statement.execute("DROP SECRET pw")));
                for (String query : List.of("SHOW SECRETS", "SHOW CREATE CONNECTION k", "SELECT * FROM mz_secrets", "SELECT * FROM mz_connections",
                        "SELECT * FROM mz_kafka_connections", "SHOW CONNECTIONS")) {
                    everythingShown.addAll(rows(statement, query));
                }
                List<String> showCreate = rows(statement, "SHOW CREATE SECRET pw");
                assertThat(showCreate.get(1)).endsWith("AS '********'");
                everythingShown.addAll(showCreate);
                everythingShown.add(errorOf(() -> statement.executeQuery("SELECT * FROM pw")));
            }
            assertThat(everythingShown).anySatisfy(shown -> assertThat(shown).contains("pw"));
            // The values survive a restart (they are stored), and are still not shown.
            server.stop();
            server.start(Duration.ofSeconds(60));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
                everythingShown.addAll(rows(statement, "SHOW CREATE CONNECTION k"));
                assertThat(rows(statement, "SHOW SECRETS")).contains("decoded", "pw");
            }
        }
        for (String shown : everythingShown) {
            assertThat(shown).doesNotContain(PASSWORD).doesNotContain(ALTERED).doesNotContain(DECODED);
        }
        List<Path> logs;
        try (Stream<Path> files = Files.walk(dataDir)) {
            logs = files.filter(path -> path.getFileName().toString().endsWith(".log") && !path.startsWith(dataDir.resolve("storage"))
                    && !path.startsWith(dataDir.resolve("kafka")) || path.getFileName().toString().equals("process.out")).toList();
        }
        // The test classpath logs to stdout only (process.out); the launcher also writes sluice.log, which is searched when present.
        assertThat(logs).extracting(path -> path.getFileName().toString()).contains("process.out");
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(text).as(log.toString()).isNotEmpty().doesNotContain(PASSWORD).doesNotContain(ALTERED).doesNotContain(DECODED);
        }
    }

    private static String errorOf(ThrowingRunnable action) {
        try {
            action.run();
        } catch (PSQLException e) {
            return e.getSQLState() + " " + e.getServerErrorMessage();
        } catch (Exception e) {
            return e.toString();
        }
        throw new AssertionError("expected an error");
    }

    private static void collectWarnings(Statement statement, List<String> shown) throws SQLException {
        for (java.sql.SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            shown.add(warning.getMessage());
        }
    }

    private static List<String> rows(Statement statement, String query) throws SQLException {
        return SqlRows.query(statement, query).stream().flatMap(List::stream).map(String::valueOf).toList();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void secretsMustBeBytesAndNamesAreChecked() throws Exception {
        try (TestServer server = new TestServer("127.0.0.1:1"); Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE SECRET bad AS (SELECT 'x')"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getMessage()).contains("must not reference relations"));
            assertThatThrownBy(() -> statement.execute("CREATE SECRET bad AS 42"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42804"));
            statement.execute("CREATE SECRET s1 AS 'v'");
            assertThatThrownBy(() -> statement.execute("CREATE SECRET s1 AS 'w'"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42710"));
            assertThatThrownBy(() -> statement.execute("DROP SECRET nope"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            statement.execute("DROP SECRET IF EXISTS nope");
            assertThat(statement.getWarnings().getMessage()).contains("does not exist");
        }
    }
}
