package dev.sluice.server.it;

import dev.sluice.testing.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * Conformance variants over {@code (k int, v text)} in Avro: the expected bytes are written out here
 * from the Avro specification (zig-zag varints, union index, length-prefixed UTF-8) behind the
 * Confluent header with the ids the registry returned, and partitions hash the key without its
 * header. One built-in registry serves every Avro variant of the test JVM.
 */
abstract class AvroKeyValueTableVariant extends KeyValueTableVariant {
    private static TestRegistry registry;

    private OptionalInt keySchemaId = OptionalInt.empty();
    private int valueSchemaId;
    private boolean nullableK;

    static synchronized String registryConnection() throws Exception {
        if (registry == null) {
            registry = TestRegistry.start();
            try (Connection connection = SinkTestKit.server().connect()) {
                SinkTestKit.execute(connection, "CREATE CONNECTION IF NOT EXISTS csr_conn TO CONFLUENT SCHEMA REGISTRY (URL '" + registry.url() + "')");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "test-registry-shutdown"));
        }
        return "csr_conn";
    }

    /** {@code FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn}, the registry connection created on first use. */
    static String avroFormat() {
        try {
            return "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION " + registryConnection();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    abstract boolean debezium();

    @Override
    int keyHashOffset() {
        return 5;
    }

    @Override
    void sinkCreated(String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String subjects = "";
        while (System.currentTimeMillis() < deadline) {
            subjects = AvroTopics.get(registry.url() + "/subjects").toString();
            if (subjects.contains("\"" + topic + "-value\"")) {
                break;
            }
            Thread.sleep(100);
        }
        var value = AvroTopics.latest(registry.url(), topic + "-value");
        valueSchemaId = value.get("id").asInt();
        Schema record = new Schema.Parser().parse(value.get("schema").asText());
        if (debezium()) {
            record = record.getField("before").schema().getTypes().get(1);
        }
        // A table without PRIMARY KEY has a nullable k: the union index comes first then.
        nullableK = record.getField("k").schema().isNullable();
        if (subjects.contains("\"" + topic + "-key\"")) {
            keySchemaId = OptionalInt.of(AvroTopics.latest(registry.url(), topic + "-key").get("id").asInt());
        }
    }

    @Override
    byte[] key(Entry entry) {
        if (keySchemaId.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream datum = header(keySchemaId.getAsInt());
        if (nullableK) {
            varint(datum, 1);
        }
        varint(datum, entry.k());
        return datum.toByteArray();
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        ByteArrayOutputStream datum = header(valueSchemaId);
        if (!debezium()) {
            if (after.isEmpty()) {
                return null;
            }
            row(datum, after.get());
            return datum.toByteArray();
        }
        for (Optional<Entry> side : java.util.List.of(before, after)) {
            varint(datum, side.isPresent() ? 1 : 0);
            side.ifPresent(row -> row(datum, row));
        }
        return datum.toByteArray();
    }

    /** The record {@code (k, v)}: k as the key's nullability says, v always a nullable string. */
    private void row(ByteArrayOutputStream datum, Entry entry) {
        if (nullableK) {
            varint(datum, 1);
        }
        varint(datum, entry.k());
        varint(datum, 1);
        byte[] text = entry.v().getBytes(StandardCharsets.UTF_8);
        varint(datum, text.length);
        datum.writeBytes(text);
    }

    private static ByteArrayOutputStream header(int schemaId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(schemaId).array());
        return bytes;
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7fL) != 0) {
            out.write((int) ((zigzag & 0x7f) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }
}
