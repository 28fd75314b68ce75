package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * psql's meta-commands against a real Sluice server: psql sends its own catalog queries (the
 * forms for server version 9.5) and prints what they return. Skipped when psql is not installed,
 * unless {@code SLUICE_REQUIRE_PEERS=1}, which makes a missing psql a failure.
 */
class PsqlMetaCommandsIT {
    private static final Path PSQL = Path.of("/usr/bin/psql");
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(PSQL)) {
            String message = "psql is not installed (apt-get install postgresql-client)";
            if ("1".equals(System.getenv("SLUICE_REQUIRE_PEERS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        server = new TestServer("127.0.0.1:1");
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t1 (id int PRIMARY KEY, name text NOT NULL, price numeric(6,2) DEFAULT 1.00, seen timestamptz, "
                    + "tags text[])");
            statement.execute("CREATE TABLE t2 (k text)");
            statement.execute("COMMENT ON TABLE t2 IS 'lookup keys'");
            statement.execute("COMMENT ON COLUMN t2.k IS 'the key'");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** psql's output (stdout and stderr) for one or more commands, each passed with -c. */
    private static String psql(String... commands) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(PSQL.toString(), "-X", "-P", "pager=off", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "-U", "materialize", "-d", "materialize"));
        for (String command : commands) {
            arguments.add("-c");
            arguments.add(command);
        }
        Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("psql output").doesNotContain("ERROR");
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void listsRelations() throws Exception {
        String output = psql("\\d");
        assertThat(output).contains("List of relations").contains(" public | t1   | table | materialize").contains(" public | t2   | table | materialize");
        assertThat(psql("\\dt")).contains(" public | t1   | table | materialize").contains("(2 rows)");
    }

    @Test
    void describesATableWithTypesNullabilityDefaultsAndItsPrimaryKey() throws Exception {
        assertThat(psql("\\d t1")).contains("Table \"public.t1\"")
                .containsPattern("id\\s+\\| integer\\s+\\|\\s+\\| not null \\|")
                .containsPattern("name\\s+\\| text\\s+\\|\\s+\\| not null \\|")
                .containsPattern("price\\s+\\| numeric\\(6,2\\)\\s+\\|\\s+\\|\\s+\\| 1\\.00")
                .containsPattern("seen\\s+\\| timestamp with time zone")
                .containsPattern("tags\\s+\\| text\\[\\]")
                .contains("Indexes:")
                .contains("\"t1_pkey\" PRIMARY KEY, btree (id)");
        assertThat(psql("\\d+ t1")).contains("Storage").contains("\"t1_pkey\" PRIMARY KEY, btree (id)").containsPattern("id\\s+\\| integer.*plain");
        assertThat(psql("\\d t2")).contains("Table \"public.t2\"").doesNotContain("Indexes:");
    }

    @Test
    void showsCommentsAsDescriptions() throws Exception {
        assertThat(psql("\\d+ t2")).containsPattern("k\\s+\\| text .*\\| the key");
        assertThat(psql("\\dt+ t2")).containsPattern("\\| t2\\s+\\| table .*\\| lookup keys");
    }

    @Test
    void listsSchemasDatabasesFunctionsViewsAndIndexes() throws Exception {
        assertThat(psql("\\dn")).contains("List of schemas").contains(" public ").contains(" mz_catalog ");
        assertThat(psql("\\l")).contains("List of databases").contains(" materialize | materialize | UTF8");
        assertThat(psql("\\df")).contains("List of functions").contains("(0 rows)");
        assertThat(psql("\\dv")).contains("Did not find any relations.");
        assertThat(psql("\\di")).contains(" public | t1_pkey | index | materialize | t1");
        assertThat(psql("\\dt+")).contains(" public | t1   | table | materialize | permanent   | 0 bytes |");
        assertThat(psql("\\du")).contains(" materialize | Superuser");
    }

    @Test
    void expandedDisplayAndConnectionInfoWork() throws Exception {
        assertThat(psql("\\x", "SELECT 1 AS a, 'x'::text AS b")).contains("Expanded display is on.").contains("-[ RECORD 1 ]").contains("a | 1")
                .contains("b | x");
        assertThat(psql("\\conninfo")).contains("You are connected to database \"materialize\" as user \"materialize\"");
    }
}
