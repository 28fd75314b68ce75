package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Confluent's own client (Debian's python3-confluent-kafka) against this registry: the script
 * {@code confluent_client_conformance.py} registers, reads, looks up, checks compatibility,
 * configures and deletes, and fails on the first answer that differs from Confluent's.
 *
 * <p>Without the Python modules the test is skipped, unless {@code SLUICE_REQUIRE_PEERS=1} (as
 * in CI), where a missing peer is a failure.
 */
class ConfluentClientConformanceIT extends RegistryTestBase {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String PACKAGES = "python3-confluent-kafka python3-requests";

    @Test
    void confluentsPythonClientSeesAConfluentRegistry() throws Exception {
        requirePythonClient();
        Path script = dataDir.resolve("confluent_client_conformance.py");
        try (InputStream in = getClass().getResourceAsStream("/confluent_client_conformance.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }

        Result result = run(List.of(PYTHON, script.toString(), server.url()));

        assertThat(result.exitCode()).as("the script failed:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("checks hold");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void requirePythonClient() throws InterruptedException {
        String problem;
        try {
            Result probe = run(List.of(PYTHON, "-c", "import confluent_kafka.schema_registry, requests"));
            if (probe.exitCode() == 0) {
                return;
            }
            problem = probe.output().strip();
        } catch (IOException e) {
            problem = e.getMessage();
        }
        String message = "Confluent's Python client is not installed (apt-get install " + PACKAGES + "): " + problem;
        if ("1".equals(System.getenv("SLUICE_REQUIRE_PEERS"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }
}
