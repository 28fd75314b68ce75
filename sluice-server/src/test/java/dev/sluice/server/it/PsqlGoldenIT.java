package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs golden SQL scripts through the real {@code psql} and compares its output with the expected
 * file. Skipped where psql is not installed ({@code .ci/run} installs it). {@code -Dsluice.golden.update=true}
 * rewrites the expected files.
 */
class PsqlGoldenIT {
    @Test
    void basicsScriptMatchesGoldenOutput() throws Exception {
        assertMatchesGolden("basics");
    }

    @Test
    void postgresQueriesAndMetaCommandsMatchGoldenOutput() throws Exception {
        assertMatchesGolden("queries");
    }

    private static void assertMatchesGolden(String name) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed");
        try (TestServer server = new TestServer("127.0.0.1:1")) {
            String script = resource("golden/" + name + ".sql");
            Path file = Files.createTempFile("golden", ".sql");
            Files.writeString(file, script);
            Process process = new ProcessBuilder("/usr/bin/psql", "-X", "-a", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                    "-U", "materialize", "-d", "materialize", "-f", file.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .replace(file.toString(), name + ".sql");
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Path expected = Path.of("src/test/resources/golden/" + name + ".out");
            if (Boolean.getBoolean("sluice.golden.update")) {
                Files.writeString(expected, output);
            }
            assertThat(output).isEqualTo(Files.readString(expected));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PsqlGoldenIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
