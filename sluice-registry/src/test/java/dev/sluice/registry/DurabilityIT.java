package dev.sluice.registry;

import static dev.sluice.registry.RegistryHttp.schemaBody;
import static dev.sluice.registry.SubjectsAndSchemasIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.SluiceException;
import dev.sluice.registry.internal.FileRecordLog;
import dev.sluice.registry.internal.RecordLog;
import dev.sluice.registry.internal.Registry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** Everything the registry answered survives a restart; a torn or corrupt log tail is cut; a failing log stops changes. */
class DurabilityIT extends RegistryTestBase {
    private Path logFile() {
        return dataDir.resolve("registry.log");
    }

    @Test
    void everythingSurvivesARestart() {
        int users = http.register("users-value", Schemas.USER);
        http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);
        int orders = http.register("orders-value", Schemas.ORDER);
        http.register("gone-value", Schemas.record("Gone", "{\"name\":\"x\",\"type\":\"int\"}"));
        http.delete("/subjects/gone-value");
        http.delete("/subjects/gone-value?permanent=true");
        http.register("soft-value", Schemas.USER);
        http.delete("/subjects/soft-value");
        http.delete("/subjects/users-value/versions/1");
        http.put("/config", "{\"compatibility\":\"FULL\"}");
        http.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
        http.put("/mode/orders-value", "{\"mode\":\"READONLY\"}");

        restart();

        assertThat(http.get("/subjects").json()).hasToString("[\"orders-value\",\"users-value\"]");
        assertThat(http.get("/subjects?deleted=true").json()).hasToString("[\"orders-value\",\"soft-value\",\"users-value\"]");
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[2]");
        assertThat(http.get("/subjects/users-value/versions?deleted=true").json()).hasToString("[1,2]");
        assertThat(http.get("/schemas/ids/" + users + "/schema").body()).isEqualTo(Schemas.canonical(Schemas.USER));
        assertThat(http.get("/subjects/orders-value/versions/1").json().get("id").asInt()).isEqualTo(orders);
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FULL\"}");
        assertThat(http.get("/config/orders-value").json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(http.get("/mode/orders-value").json()).hasToString("{\"mode\":\"READONLY\"}");
        assertThat(http.post("/subjects/orders-value/versions", schemaBody(Schemas.USER)).errorCode()).isEqualTo(42205);
        assertThat(http.get("/subjects/gone-value/versions?deleted=true").errorCode()).isEqualTo(40401);
        assertThat(http.register("new-value", Schemas.record("New", "{\"name\":\"y\",\"type\":\"int\"}"))).as("ids continue").isEqualTo(5);
    }

    @Test
    void aTornLastRecordIsDroppedWholeAndTheLogStaysUsable() throws IOException {
        http.register("a", Schemas.USER);
        http.register("b", Schemas.ORDER);
        long beforeThird = Files.size(logFile());
        http.register("c", Schemas.record("C", "{\"name\":\"c\",\"type\":\"int\"}"));
        server.close();
        try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "rw")) {
            file.setLength(Files.size(logFile()) - 3);
        }

        start();

        assertThat(http.get("/subjects").json()).hasToString("[\"a\",\"b\"]");
        assertThat(Files.size(logFile())).as("the torn record is cut").isEqualTo(beforeThird);
        assertThat(http.register("d", Schemas.record("D", "{\"name\":\"d\",\"type\":\"int\"}"))).isEqualTo(3);
        restart();
        assertThat(http.get("/subjects").json()).hasToString("[\"a\",\"b\",\"d\"]");
    }

    @Test
    void aRecordFailingItsChecksumEndsTheLog() throws IOException {
        http.register("a", Schemas.USER);
        long beforeSecond = Files.size(logFile());
        http.register("b", Schemas.ORDER);
        server.close();
        try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "rw")) {
            long lastByte = Files.size(logFile()) - 2;
            file.seek(lastByte);
            int value = file.read();
            file.seek(lastByte);
            file.write(value ^ 0x20);
        }

        start();

        assertThat(http.get("/subjects").json()).hasToString("[\"a\"]");
        assertThat(Files.size(logFile())).isEqualTo(beforeSecond);
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws IOException {
        http.register("a", Schemas.USER);
        long intact = Files.size(logFile());
        server.close();
        Files.write(logFile(), new byte[] {0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);

        start();

        assertThat(http.get("/subjects").json()).hasToString("[\"a\"]");
        assertThat(Files.size(logFile())).isEqualTo(intact);
    }

    @Test
    void anIntactRecordThatCannotBeReadStopsTheStartInsteadOfBeingDropped() throws IOException {
        http.register("a", Schemas.USER);
        server.close();
        try (FileRecordLog log = FileRecordLog.open(logFile(), payload -> {
        })) {
            log.append("{\"op\":\"frobnicate\"}".getBytes(StandardCharsets.UTF_8));
        }
        long size = Files.size(logFile());

        assertThatThrownBy(this::start).isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.getMessage())
                .isEqualTo("cannot open the schema registry in " + dataDir + ": unknown schema registry log record \"frobnicate\""));
        assertThat(Files.size(logFile())).as("nothing was cut").isEqualTo(size);
        server = null;
    }

    @Test
    void aSecondRegistryCannotOpenTheSameDirectory() {
        assertThatThrownBy(() -> SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", 0, dataDir, "--port")))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("schema registry data directory " + dataDir + " is in use by another process"));
        assertThat(http.get("/subjects").status()).as("the first one is unaffected").isEqualTo(200);
    }

    @Test
    void aBusyPortIsAnErrorNamingTheOption() {
        Path other = dataDir.resolve("other");
        assertThatThrownBy(() -> SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", server.port(), other, "--port")))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.getMessage()).startsWith("cannot listen for the schema registry on 127.0.0.1:" + server.port() + ": ");
                    assertThat(e.hint()).hasValue("Choose another port with --port.");
                });
        assertThat(SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", 0, other, "--port")))
                .as("the failed attempt released the directory").satisfies(SchemaRegistryServer::close);
    }

    /** A log whose disk fails: the change is refused with 50001, nothing is applied, later changes are refused too, reads go on. */
    @Test
    void aFailingLogRefusesChangesAndReportsTheProblem() {
        FailingLog log = new FailingLog();
        try (SchemaRegistryServer failing = SchemaRegistryServer.serve(Registry.over(log), "127.0.0.1", 0, "--port")) {
            RegistryHttp client = new RegistryHttp(failing.url());
            assertThat(client.register("a", Schemas.USER)).isEqualTo(1);
            log.failing = true;

            assertError(client.post("/subjects/b/versions", schemaBody(Schemas.ORDER)), 500, 50001,
                    "Error while writing to the schema registry's store: No space left on device");
            assertThat(failing.problem()).hasValue("writing to the schema registry's log failed: No space left on device");
            log.failing = false;
            assertError(client.put("/config", "{\"compatibility\":\"NONE\"}"), 500, 50001,
                    "The schema registry's store failed earlier (writing to the schema registry's log failed: No space left on device); "
                            + "restart the registry to recover");
            assertThat(client.get("/subjects").json()).hasToString("[\"a\"]");
            assertThat(log.appended).isEqualTo(1);
        }
    }

    private static final class FailingLog implements RecordLog {
        volatile boolean failing;
        int appended;

        @Override
        public void append(byte[] payload) throws IOException {
            if (failing) {
                throw new IOException("No space left on device");
            }
            appended++;
        }

        @Override
        public void close() {
        }
    }
}
