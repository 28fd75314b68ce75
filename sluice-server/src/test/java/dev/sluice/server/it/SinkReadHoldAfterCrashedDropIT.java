package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.StorageOptions;
import dev.sluice.storage.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DROP SINK is two durable steps: the catalog retraction (DropTask's batch), then, after the sink's
 * thread has stopped (up to 30 s, under the coordinator lock), the release of its read hold
 * (SinkManager.sinkDropped). A SIGKILL between the two leaves a durable hold {@code sink-<id>} on the
 * table whose sink no longer exists. This test writes exactly that on-disk state (the server's own
 * catalog batch without the release) and restarts: the table's since must move again, otherwise its
 * whole history from the dropped sink's last frontier on is kept in memory and in every checkpoint,
 * forever.
 */
class SinkReadHoldAfterCrashedDropIT {
    @Test
    void aReadHoldLeftByASinkWhoseDropWasCutShortIsReleasedAtRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-orphan-hold");
        String name = SinkTestKit.unique("orphan");
        String sinkName = name + "_sink";
        String environment = "orphan" + name.replaceAll("\\D", "");
        String sinkId;
        String tableId;
        long heldAt;
        TestServer first = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
        try (Connection connection = first.connect()) {
            execute(connection, "CREATE CONNECTION kafka TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE TABLE " + name + " (k int PRIMARY KEY, v int)", "INSERT INTO " + name + " VALUES (1, 0)",
                    "CREATE SINK " + sinkName + " FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitExactly(connection, sinkName, name, 1);
            sinkId = SinkTestKit.sinkId(connection, sinkName);
            tableId = SinkTestKit.queryText(connection, "SELECT id FROM mz_catalog.mz_tables WHERE name = '" + name + "'");
            heldAt = first.server().coordinator().storage().hold("sink-" + sinkId).orElseThrow().time();
        } finally {
            first.close();
        }

        // What DROP SINK made durable before the process died: the catalog row retracted, the hold not yet released.
        try (Storage storage = Storage.open(dataDir.resolve("storage"), StorageOptions.defaults())) {
            assertThat(storage.hold("sink-" + sinkId)).as("the sink's hold survives a restart").isPresent();
            storage.commit(new WriteBatch().add(StoredItem.COLLECTION_ID, catalogRow(storage, sinkId), -1));
        }

        TestServer second = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
        try (Connection connection = second.connect()) {
            assertThat(SinkTestKit.queryText(connection, "SELECT count(*) FROM mz_catalog.mz_sinks WHERE name = '" + sinkName + "'"))
                    .as("the sink is gone from the catalog").isEqualTo("0");
            Storage storage = second.server().coordinator().storage();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int value = 0;
            while (storage.since(tableId) <= heldAt && System.nanoTime() < deadline) {
                execute(connection, "UPDATE " + name + " SET v = " + (++value) + " WHERE k = 1");
                Thread.sleep(200);
            }
            assertThat(storage.hold("sink-" + sinkId)).as("read hold of the dropped sink %s", sinkId).isEmpty();
            assertThat(storage.since(tableId)).as("since of table %s (held at %d by the dropped sink)", tableId, heldAt).isGreaterThan(heldAt);
        } finally {
            second.close();
        }
    }

    /** The catalog row of {@code id} exactly as stored (as DropTask retracts it). */
    private static Row catalogRow(Storage storage, String id) {
        try (SnapshotCursor cursor = storage.snapshot(StoredItem.COLLECTION_ID, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                RowCount row = cursor.next();
                if (id.equals(row.row().get(0))) {
                    return row.row();
                }
            }
        }
        throw new AssertionError("no catalog row for " + id);
    }
}
