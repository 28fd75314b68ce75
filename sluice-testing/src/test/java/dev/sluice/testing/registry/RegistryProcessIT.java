package dev.sluice.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry killed with SIGKILL while clients register schemas loses nothing it answered:
 * after each restart every acknowledged registration is there with its id and schema, and new
 * ids continue past them. A failure prints the seed; {@code -Dsluice.registry.seed=N} replays it.
 */
class RegistryProcessIT {
    private static final int CYCLES = 6;
    private static final int WRITERS = 3;

    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedRegistrationsSurviveSigkill() throws Exception {
        long seed = Long.getLong("sluice.registry.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        try (RegistryProcess registry = new RegistryProcess(dataDir.resolve("registry"))) {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                registry.start(Duration.ofSeconds(60));
                assertEverythingAcknowledgedIsThere(registry, acknowledged, seed);

                AtomicBoolean running = new AtomicBoolean(true);
                Thread[] writers = new Thread[WRITERS];
                for (int w = 0; w < WRITERS; w++) {
                    String prefix = "c" + cycle + "w" + w + "-";
                    writers[w] = new Thread(() -> registerUntilFailure(registry, prefix, running, acknowledged), "writer-" + w);
                    writers[w].start();
                }
                // Kill mid-stream: once this cycle's writers are being answered, at a random moment after.
                int before = acknowledged.size();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (acknowledged.size() < before + 20 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(300));
                registry.kill();
                running.set(false);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            registry.start(Duration.ofSeconds(60));
            assertEverythingAcknowledgedIsThere(registry, acknowledged, seed);
            int maxId = acknowledged.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            assertThat(failures).as("seed %d: refused registrations", seed).isEmpty();
            assertThat(acknowledged).as("seed %d: writers got answers before the kills", seed).isNotEmpty();
            assertThat(register(registry, "after-all", schema("after-all"))).as("seed %d", seed).isGreaterThan(maxId);
            System.out.printf("%d acknowledged registrations survived %d SIGKILLs (seed %d)%n", acknowledged.size(), CYCLES, seed);
        }
    }

    /** Registers distinct schemas until the registry stops answering, recording each acknowledged id. */
    private void registerUntilFailure(RegistryProcess registry, String prefix, AtomicBoolean running, Map<String, Integer> acknowledged) {
        for (int i = 0; running.get(); i++) {
            String subject = prefix + i;
            int id;
            try {
                id = register(registry, subject, schema(subject));
            } catch (IOException | InterruptedException killed) {
                return;
            } catch (AssertionError refused) {
                failures.add(refused);
                return;
            }
            acknowledged.put(subject, id);
        }
    }

    private void assertEverythingAcknowledgedIsThere(RegistryProcess registry, Map<String, Integer> acknowledged, long seed) throws Exception {
        for (Map.Entry<String, Integer> entry : acknowledged.entrySet()) {
            HttpResponse<String> version = get(registry, "/subjects/" + entry.getKey() + "/versions/1");
            assertThat(version.statusCode()).as("seed %d: %s", seed, entry.getKey()).isEqualTo(200);
            assertThat(version.body()).as("seed %d", seed).contains("\"id\":" + entry.getValue() + ",");
            HttpResponse<String> byId = get(registry, "/schemas/ids/" + entry.getValue() + "/schema");
            assertThat(byId.body()).as("seed %d", seed).isEqualTo(schema(entry.getKey()));
        }
    }

    /** A record schema unique to {@code subject}, in the form Avro renders it (so the registry serves it back unchanged). */
    private static String schema(String subject) {
        return "{\"type\":\"record\",\"name\":\"R" + subject.replace('-', '_') + "\",\"fields\":[{\"name\":\"f\",\"type\":\"int\"}]}";
    }

    private int register(RegistryProcess registry, String subject, String schema) throws IOException, InterruptedException {
        String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/" + subject + "/versions"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("registration refused: " + response.statusCode() + " " + response.body());
        }
        return Integer.parseInt(response.body().replaceAll("[^0-9]", ""));
    }

    private HttpResponse<String> get(RegistryProcess registry, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(registry.url() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theInProcessFixtureKeepsItsContentsAndPortAcrossARestart() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            String url = registry.url();
            HttpResponse<String> registered = client.send(HttpRequest.newBuilder(URI.create(url + "/subjects/s/versions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"int\\\"\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(registered.body()).isEqualTo("{\"id\":1}");

            registry.restart();

            assertThat(registry.url()).isEqualTo(url);
            assertThat(client.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("[\"s\"]");
        }
    }
}
