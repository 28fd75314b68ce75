package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HEADERS (reference §7): map entries as headers after materialize-timestamp, in key order; deletes take the before row's. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkHeadersIT {
    private static List<String> headers(SinkTestKit.Record record) {
        return record.headers().stream().map(header -> header.key() + "=" + (header.value() == null ? "<null>"
                : new String(header.value(), StandardCharsets.UTF_8))).toList();
    }

    @Test
    void textHeadersFollowTheTimestampInKeyOrderWithoutMaterializeKeys() throws Exception {
        String name = SinkTestKit.unique("headers");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY, h map[text=>text])",
                    "INSERT INTO " + name + " VALUES (1, '{b=>x,a=>y,materialize-foo=>z}'), (2, NULL), (3, '{n=>NULL}')",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) HEADERS h "
                            + "FORMAT JSON ENVELOPE UPSERT");
            List<SinkTestKit.Record> records = SinkTestKit.awaitCount(name, 3);
            SinkTestKit.Record one = records.stream().filter(record -> record.keyText().equals("{\"k\":1}")).findFirst().orElseThrow();
            String timestamp = "materialize-timestamp=" + one.timestamp();
            assertThat(headers(one)).containsExactly(timestamp, "a=y", "b=x");
            assertThat(one.valueText()).isEqualTo("{\"k\":1,\"h\":{\"a\":\"y\",\"b\":\"x\",\"materialize-foo\":\"z\"}}");
            SinkTestKit.Record two = records.stream().filter(record -> record.keyText().equals("{\"k\":2}")).findFirst().orElseThrow();
            assertThat(headers(two)).containsExactly(timestamp);
            SinkTestKit.Record three = records.stream().filter(record -> record.keyText().equals("{\"k\":3}")).findFirst().orElseThrow();
            assertThat(headers(three)).containsExactly(timestamp, "n=<null>");
            execute(connection, "DELETE FROM " + name + " WHERE k = 1");
            SinkTestKit.Record tombstone = SinkTestKit.awaitCount(name, 4).stream().filter(record -> record.value() == null).findFirst().orElseThrow();
            assertThat(headers(tombstone)).containsExactly("materialize-timestamp=" + tombstone.timestamp(), "a=y", "b=x");
            // Statistics count key, value and every user header as extracted, the dropped materialize- one included.
            long bytes = 0;
            for (SinkTestKit.Record record : SinkTestKit.readCommitted(name)) {
                bytes += (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
            }
            bytes += 2 * ("a".length() + "y".length() + "b".length() + "x".length() + "materialize-foo".length() + "z".length()) + "n".length();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT s.bytes_committed FROM "
                    + "mz_internal.mz_sink_statistics s JOIN mz_catalog.mz_sinks k ON k.id = s.id WHERE k.name = '" + name + "_sink'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(bytes);
            }
        }
    }

    @Test
    void byteaHeadersAreRawBytes() throws Exception {
        String name = SinkTestKit.unique("byteaheaders");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY, h map[text=>bytea])",
                    "INSERT INTO " + name + " VALUES (1, '{bin=>\\x00ff10}')",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) HEADERS h "
                            + "FORMAT JSON ENVELOPE UPSERT");
            SinkTestKit.Record record = SinkTestKit.awaitCount(name, 1).get(0);
            assertThat(record.headers()).hasSize(2);
            Header header = record.headers().get(1);
            assertThat(header.key()).isEqualTo("bin");
            assertThat(header.value()).containsExactly(0, 0xff, 0x10);
        }
    }
}
