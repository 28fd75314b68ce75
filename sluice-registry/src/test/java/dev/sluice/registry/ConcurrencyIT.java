package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Clients registering at the same time get one id per schema and one version per registration that was new. */
class ConcurrencyIT extends RegistryTestBase {
    private static final int CLIENTS = 8;
    private static final int SCHEMAS_EACH = 25;

    @Test
    void concurrentRegistrationsOfOneSchemaShareOneIdAndOneVersion() throws Exception {
        List<Integer> ids = runConcurrently(client -> http.register("shared-value", Schemas.USER));

        assertThat(new HashSet<>(ids)).containsExactly(1);
        assertThat(http.get("/subjects/shared-value/versions").json()).hasToString("[1]");
    }

    @Test
    void concurrentRegistrationsOfDistinctSchemasGetDistinctIdsAndVersions() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (List<Integer> perClient : runConcurrently(client -> {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < SCHEMAS_EACH; i++) {
                mine.add(http.register("many-value", Schemas.record("R", "{\"name\":\"f" + client + "_" + i + "\",\"type\":\"int\",\"default\":0}")));
            }
            return mine;
        })) {
            ids.addAll(perClient);
        }

        Set<Integer> distinct = new HashSet<>(ids);
        assertThat(distinct).hasSize(CLIENTS * SCHEMAS_EACH);
        assertThat(distinct).allSatisfy(id -> assertThat(id).isBetween(1, CLIENTS * SCHEMAS_EACH));
        assertThat(http.get("/subjects/many-value/versions").json()).hasSize(CLIENTS * SCHEMAS_EACH);
        restart();
        assertThat(http.get("/subjects/many-value/versions/latest").json().get("version").asInt()).isEqualTo(CLIENTS * SCHEMAS_EACH);
    }

    private interface Client<T> {
        T run(int client) throws Exception;
    }

    private static <T> List<T> runConcurrently(Client<T> work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int number = client;
                Callable<T> task = () -> work.run(number);
                futures.add(executor.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
