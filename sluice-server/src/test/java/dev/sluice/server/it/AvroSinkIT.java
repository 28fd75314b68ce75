package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.kafka.EmbeddedKafka;
import dev.sluice.testing.registry.TestRegistry;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Avro sinks end to end: SQL in through pgJDBC, a real broker, the registry the schemas are
 * published to, and the topic read back read_committed and decoded with Apache Avro by the schema
 * id each message names.
 */
class AvroSinkIT {
    private static EmbeddedKafka kafka;
    private static TestRegistry registry;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-kafka"), "127.0.0.1", ServerProcess.freePort());
        kafka.start(Duration.ofSeconds(60));
        registry = TestRegistry.start();
        server = new TestServer(kafka.bootstrapServers());
        execute("CREATE CONNECTION kafka_conn TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
        execute("CREATE CONNECTION csr_conn TO CONFLUENT SCHEMA REGISTRY (URL '" + registry.url() + "')");
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        kafka.close();
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<List<String>> query(String sql) throws SQLException {
        try (Connection connection = server.connect()) {
            return SqlRows.query(connection, sql);
        }
    }

    private static List<AvroTopics.Message> await(String topic, int count) throws InterruptedException {
        List<AvroTopics.Message> messages = AvroTopics.await(kafka.bootstrapServers(), registry.url(), topic, found -> found.size() >= count);
        assertThat(messages).as("messages in " + topic).hasSize(count);
        return messages;
    }

    private static String registered(String subject) {
        return AvroTopics.latest(registry.url(), subject).get("schema").asText();
    }

    private static String avroSink(String name, String from, String topic, String key, String csrOptions, String envelope) {
        return "CREATE SINK " + name + " FROM " + from + " INTO KAFKA CONNECTION kafka_conn (TOPIC '" + topic + "') " + key
                + " FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn" + csrOptions + " ENVELOPE " + envelope;
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get();
        }
    }

    @Test
    void everyTypeOfTheMappingTableDecodesWithApacheAvro() throws Exception {
        execute("CREATE TABLE every_type (id int PRIMARY KEY, b boolean, s smallint, l bigint, r real, d double precision, n numeric(10,2), "
                + "nf numeric, t text, v varchar(5), c char(3), by bytea, da date, ti time, ts timestamp, ts3 timestamp(3), tz timestamptz, "
                + "iv interval, j jsonb, u uuid, u2 uint2, u4 uint4, u8 uint8, m map[text=>text], li int list, a text[])",
                "INSERT INTO every_type VALUES (1, true, -2, 3, 1.5, 2.25, 12.345, -0.5, 'text', 'abc', 'x', '\\x01ff', '2024-01-31', "
                + "'11:12:13.5', '2024-01-31 11:12:13.123456', '2024-01-31 11:12:13.123', '2024-01-31 11:12:13+02', '1 month 2 days 00:00:00.000003', "
                + "'{\"k\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 65535, 4294967295, 18446744073709551615, '{a=>b}', '{1,NULL}', '{x,y}')",
                "INSERT INTO every_type (id) VALUES (2)",
                avroSink("every_type_sink", "every_type", "every-type", "KEY (id)", "", "UPSERT"));
        List<AvroTopics.Message> messages = await("every-type", 2);
        AvroTopics.Message full = messages.stream().filter(m -> m.decodedKey().get("id").equals(1)).findFirst().orElseThrow();
        AvroTopics.Message nulls = messages.stream().filter(m -> m.decodedKey().get("id").equals(2)).findFirst().orElseThrow();

        assertThat(full.keyJson()).isEqualTo("{\"id\":1}");
        assertThat(full.keySchemaId()).isEqualTo(AvroTopics.latest(registry.url(), "every-type-key").get("id").asInt());
        assertThat(full.valueSchemaId()).isEqualTo(AvroTopics.latest(registry.url(), "every-type-value").get("id").asInt());
        GenericRecord value = full.decodedValue();
        assertThat(value.get("b")).isEqualTo(true);
        assertThat(value.get("s")).isEqualTo(-2);
        assertThat(value.get("l")).isEqualTo(3L);
        assertThat(value.get("r")).isEqualTo(1.5f);
        assertThat(value.get("d")).isEqualTo(2.25);
        assertThat(value.get("n")).isEqualTo(new BigDecimal("12.35"));
        assertThat(value.get("nf")).isEqualTo(new BigDecimal("-0.5").setScale(39));
        assertThat(value.get("t")).hasToString("text");
        assertThat(value.get("v")).hasToString("abc");
        assertThat(value.get("c")).hasToString("x  ");
        assertThat(((ByteBuffer) value.get("by")).array()).containsExactly(0x01, 0xff);
        assertThat(value.get("da")).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(value.get("ti")).isEqualTo(LocalTime.of(11, 12, 13, 500_000_000));
        assertThat(value.get("ts")).isEqualTo(Instant.parse("2024-01-31T11:12:13.123456Z"));
        assertThat(value.get("ts3")).isEqualTo(Instant.parse("2024-01-31T11:12:13.123Z"));
        assertThat(value.get("tz")).isEqualTo(Instant.parse("2024-01-31T09:12:13Z"));
        assertThat(((GenericFixed) value.get("iv")).bytes()).containsExactly(1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);
        assertThat(value.get("j")).hasToString("{\"k\":[1,2]}");
        assertThat(value.get("u")).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(((GenericFixed) value.get("u2")).bytes()).containsExactly(0xff, 0xff);
        assertThat(((GenericFixed) value.get("u4")).bytes()).containsExactly(0xff, 0xff, 0xff, 0xff);
        assertThat(((GenericFixed) value.get("u8")).bytes()).containsOnly(0xff).hasSize(8);
        assertThat(((Map<?, ?>) value.get("m")).get(new Utf8("a"))).hasToString("b");
        assertThat((List<?>) value.get("li")).isEqualTo(Arrays.asList(1, null));
        assertThat(((List<?>) value.get("a")).stream().map(Object::toString)).containsExactly("x", "y");

        Schema schema = full.decodedValue().getSchema();
        assertThat(schema.getField("n").schema().getTypes().get(1).toString())
                .isEqualTo("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":39,\"scale\":2}");
        assertThat(schema.getField("ts3").schema().getTypes().get(1).getLogicalType().getName()).isEqualTo("timestamp-millis");
        assertThat(schema.getField("iv").schema().getTypes().get(1).getFullName()).isEqualTo("com.materialize.sink.interval");
        assertThat(schema.getField("u8").schema().getTypes().get(1).getFullName()).isEqualTo("com.materialize.sink.uint8");
        assertThat(schema.getField("j").schema().getTypes().get(1).getProp("connect.name")).isEqualTo("io.debezium.data.Json");
        assertThat(schema.getField("id").schema().getType()).as("NOT NULL via PRIMARY KEY").isEqualTo(Schema.Type.INT);

        for (Schema.Field field : nulls.decodedValue().getSchema().getFields()) {
            if (!field.name().equals("id")) {
                assertThat(nulls.decodedValue().get(field.name())).as(field.name()).isNull();
            }
        }
        assertThat(query("SELECT format, key_format, value_format FROM mz_catalog.mz_sinks WHERE name = 'every_type_sink'"))
                .containsExactly(List.of("avro", "avro", "avro"));
    }

    @Test
    void debeziumValuesCarryBeforeAndAfterAsRowBranches() throws Exception {
        execute("CREATE TABLE accounts (k int PRIMARY KEY, v text)", avroSink("accounts_sink", "accounts", "accounts-avro", "KEY (k)", "", "DEBEZIUM"));
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), "accounts-avro", found -> true);
        execute("INSERT INTO accounts VALUES (1, 'a')", "UPDATE accounts SET v = 'b' WHERE k = 1", "DELETE FROM accounts WHERE k = 1");
        List<AvroTopics.Message> messages = await("accounts-avro", 3);
        assertThat(messages).extracting(AvroTopics.Message::keyJson).containsOnly("{\"k\":1}");
        assertThat(messages).extracting(AvroTopics.Message::valueJson).containsExactly(
                "{\"before\":null,\"after\":{\"row\":{\"k\":1,\"v\":{\"string\":\"a\"}}}}",
                "{\"before\":{\"row\":{\"k\":1,\"v\":{\"string\":\"a\"}}},\"after\":{\"row\":{\"k\":1,\"v\":{\"string\":\"b\"}}}}",
                "{\"before\":{\"row\":{\"k\":1,\"v\":{\"string\":\"b\"}}},\"after\":null}");
        assertThat(registered("accounts-avro-value")).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"before\","
                + "\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"k\",\"type\":\"int\"},{\"name\":\"v\","
                + "\"type\":[\"null\",\"string\"]}]}]},{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
        assertThat(registered("accounts-avro-key")).isEqualTo("{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"k\",\"type\":\"int\"}]}");
    }

    @Test
    void keylessDebeziumSinkWritesNoKeyToPartitionZeroAndRegistersNoKeySchema() throws Exception {
        execute("CREATE TABLE keyless (a int, b text)", "INSERT INTO keyless VALUES (1, 'x'), (2, 'y')");
        createTopic("keyless-avro", 4);
        execute(avroSink("keyless_sink", "keyless", "keyless-avro", "", "", "DEBEZIUM"));
        List<AvroTopics.Message> messages = await("keyless-avro", 2);
        assertThat(messages).allSatisfy(message -> {
            assertThat(message.key()).isNull();
            assertThat(message.partition()).isZero();
        });
        assertThat(messages).extracting(AvroTopics.Message::valueJson).containsExactlyInAnyOrder(
                "{\"before\":null,\"after\":{\"row\":{\"a\":{\"int\":1},\"b\":{\"string\":\"x\"}}}}",
                "{\"before\":null,\"after\":{\"row\":{\"a\":{\"int\":2},\"b\":{\"string\":\"y\"}}}}");
        assertThat(AvroTopics.get(registry.url() + "/subjects").toString()).contains("keyless-avro-value").doesNotContain("keyless-avro-key");
    }

    @Test
    void fullnamesNameTheRegisteredRecords() throws Exception {
        execute("CREATE TABLE namespace_value_data (namespace int NOT NULL)", "INSERT INTO namespace_value_data VALUES (1)",
                avroSink("namespace_value_sink", "namespace_value_data", "namespace-value", "", " (AVRO VALUE FULLNAME = 'abc.def.ghi')", "DEBEZIUM"),
                "CREATE TABLE namespace_key_value_data (a int NOT NULL, b int NOT NULL)", "INSERT INTO namespace_key_value_data VALUES (1, 2)",
                avroSink("namespace_key_value_sink", "namespace_key_value_data", "namespace-key-value", "KEY (b)",
                        " (AVRO KEY FULLNAME = 'some.neat.class.foo', AVRO VALUE FULLNAME = 'some.neat.class.bar')", "DEBEZIUM"),
                "CREATE TABLE tricky_names (\"tricky-name\" int NOT NULL, \"tricky!name\" int NOT NULL, \"tricky@name\" int NOT NULL, "
                        + "\"666\" int NOT NULL)",
                avroSink("tricky_sink", "tricky_names", "tricky", "", "", "DEBEZIUM"));
        assertThat(await("namespace-value", 1).get(0).valueJson()).isEqualTo("{\"before\":null,\"after\":{\"abc.def.row\":{\"namespace\":1}}}");
        assertThat(registered("namespace-value-value")).isEqualTo("{\"type\":\"record\",\"name\":\"ghi\",\"namespace\":\"abc.def\",\"fields\":["
                + "{\"name\":\"before\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"namespace\",\"type\":\"int\"}]}]},"
                + "{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
        AvroTopics.Message keyed = await("namespace-key-value", 1).get(0);
        assertThat(keyed.keyJson()).isEqualTo("{\"b\":2}");
        assertThat(registered("namespace-key-value-key"))
                .isEqualTo("{\"type\":\"record\",\"name\":\"foo\",\"namespace\":\"some.neat.class\",\"fields\":[{\"name\":\"b\",\"type\":\"int\"}]}");
        assertThat(registered("namespace-key-value-value")).isEqualTo("{\"type\":\"record\",\"name\":\"bar\",\"namespace\":\"some.neat.class\","
                + "\"fields\":[{\"name\":\"before\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                + "{\"name\":\"b\",\"type\":\"int\"}]}]},{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), "tricky", found -> true);
        assertThat(registered("tricky-value")).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\","
                + "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"tricky_name\",\"type\":\"int\"},{\"name\":\"tricky_name1\",\"type\":\"int\"},"
                + "{\"name\":\"tricky_name2\",\"type\":\"int\"},{\"name\":\"_666\",\"type\":\"int\"}]}]},{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
    }

    @Test
    void nullDefaultsAreRegisteredOnlyWhenAskedFor() throws Exception {
        execute("CREATE TABLE upsert_input (key1 text NOT NULL, key2 bigint, f1 text, f2 bigint, PRIMARY KEY (key1))");
        execute(avroSink("defaults_on", "upsert_input", "defaults-on", "KEY (key1)", " (NULL DEFAULTS = TRUE)", "UPSERT"),
                avroSink("defaults_bare", "upsert_input", "defaults-bare", "KEY (key1)", " (NULL DEFAULTS)", "UPSERT"),
                avroSink("defaults_off", "upsert_input", "defaults-off", "KEY (key1)", " (NULL DEFAULTS = FALSE)", "UPSERT"));
        for (String topic : List.of("defaults-on", "defaults-bare", "defaults-off")) {
            AvroTopics.await(kafka.bootstrapServers(), registry.url(), topic, found -> true);
        }
        String withDefaults = "{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"key1\",\"type\":\"string\"},"
                + "{\"name\":\"key2\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"f1\",\"type\":[\"null\",\"string\"],\"default\":null},"
                + "{\"name\":\"f2\",\"type\":[\"null\",\"long\"],\"default\":null}]}";
        assertThat(registered("defaults-on-value")).isEqualTo(withDefaults);
        assertThat(registered("defaults-bare-value")).isEqualTo(withDefaults);
        assertThat(registered("defaults-off-value")).isEqualTo(withDefaults.replace(",\"default\":null", ""));
    }

    @Test
    void docsFollowTheReferencePrecedenceAndCommentsAreCapturedAtCreate() throws Exception {
        execute("CREATE TABLE t (c1 int, c2 text NOT NULL, \"c3_map[text=>text]\" map[text=>boolean], c4 int list)",
                "COMMENT ON TABLE t IS 'comment on table t with a \\ '''",
                "COMMENT ON COLUMN t.\"c3_map[text=>text]\" IS 'comment on column t.c3_map with a '''",
                "COMMENT ON COLUMN t.c4 IS 'comment on column t.c4 with an äöü'",
                avroSink("docs1", "t", "docs1", "KEY (c2) NOT ENFORCED", " (DOC ON COLUMN t.c1 = 'doc on t.c1', VALUE DOC ON COLUMN t.c2 = "
                        + "'value doc on t.c2', KEY DOC ON COLUMN t.c2 = 'key doc on t.c2', DOC ON COLUMN t.c4 = 'doc on t.c4', "
                        + "KEY DOC ON TYPE t = 'key doc on t')", "UPSERT"),
                avroSink("docs2", "t", "docs2", "KEY (c2) NOT ENFORCED", "", "UPSERT"),
                avroSink("docs3", "t", "docs3", "KEY (c2) NOT ENFORCED", " (DOC ON COLUMN t.c2 = 'doc on t.c2')", "DEBEZIUM"));
        for (String topic : List.of("docs1", "docs2", "docs3")) {
            AvroTopics.await(kafka.bootstrapServers(), registry.url(), topic, found -> true);
        }
        String c3 = "{\"name\":\"c3_map_text__text_\",\"type\":[\"null\",{\"type\":\"map\",\"values\":[\"null\",\"boolean\"]}],"
                + "\"doc\":\"comment on column t.c3_map with a '\"}";
        String tableDoc = "\"doc\":\"comment on table t with a \\\\ '\"";
        assertThat(registered("docs1-value")).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\"," + tableDoc + ",\"fields\":["
                + "{\"name\":\"c1\",\"type\":[\"null\",\"int\"],\"doc\":\"doc on t.c1\"},{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"value doc on t.c2\"},"
                + c3 + ",{\"name\":\"c4\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"int\"]}],\"doc\":\"doc on t.c4\"}]}");
        assertThat(registered("docs1-key")).isEqualTo("{\"type\":\"record\",\"name\":\"row\",\"doc\":\"key doc on t\",\"fields\":["
                + "{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"key doc on t.c2\"}]}");
        assertThat(registered("docs2-value")).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\"," + tableDoc + ",\"fields\":["
                + "{\"name\":\"c1\",\"type\":[\"null\",\"int\"]},{\"name\":\"c2\",\"type\":\"string\"}," + c3 + ",{\"name\":\"c4\",\"type\":[\"null\","
                + "{\"type\":\"array\",\"items\":[\"null\",\"int\"]}],\"doc\":\"comment on column t.c4 with an äöü\"}]}");
        assertThat(registered("docs3-value")).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\","
                + "{\"type\":\"record\",\"name\":\"row\"," + tableDoc + ",\"fields\":[{\"name\":\"c1\",\"type\":[\"null\",\"int\"]},"
                + "{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"doc on t.c2\"}," + c3 + ",{\"name\":\"c4\",\"type\":[\"null\",{\"type\":\"array\","
                + "\"items\":[\"null\",\"int\"]}],\"doc\":\"comment on column t.c4 with an äöü\"}]}]},{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
        assertThat(registered("docs3-key")).isEqualTo("{\"type\":\"record\",\"name\":\"row\"," + tableDoc + ",\"fields\":["
                + "{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"doc on t.c2\"}]}");

        String createSql = query("SELECT create_sql FROM mz_catalog.mz_sinks WHERE name = 'docs1'").get(0).get(0);
        String t = "\"materialize\".\"public\".\"t\"";
        assertThat(createSql).contains("KEY DOC ON TYPE " + t + " = 'key doc on t', DOC ON TYPE " + t + " = 'comment on table t with a \\ '''")
                .contains("DOC ON COLUMN " + t + ".\"c3_map[text=>text]\" = 'comment on column t.c3_map with a '''")
                .as("the user's DOC ON COLUMN t.c4 wins, so the comment is not injected").doesNotContain("\"c4\" = 'comment");
        assertThat(query("SELECT create_sql FROM mz_catalog.mz_sinks WHERE name = 'docs2'").get(0).get(0))
                .contains("CONNECTION \"materialize\".\"public\".\"csr_conn\" (DOC ON TYPE " + t + " = ");

        // A later comment changes only sinks created afterwards.
        int docs2Version = AvroTopics.latest(registry.url(), "docs2-value").get("version").asInt();
        execute("COMMENT ON TABLE t IS 'new table comment'", avroSink("docs4", "t", "docs4", "KEY (c2) NOT ENFORCED", "", "UPSERT"));
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), "docs4", found -> true);
        assertThat(registered("docs4-value")).contains("\"doc\":\"new table comment\"");
        assertThat(registered("docs2-value")).contains(tableDoc);
        assertThat(AvroTopics.latest(registry.url(), "docs2-value").get("version").asInt()).isEqualTo(docs2Version);
    }

    @Test
    void avroKeysArePartitionedBySeaHashOfTheDatumWithoutItsHeader() throws Exception {
        createTopic("v1", 100);
        createTopic("v2", 200);
        execute("CREATE TABLE data (key text, value text)", "INSERT INTO data VALUES ('v1', NULL)",
                "COMMENT ON COLUMN data.key IS 'v11'",
                "CREATE SINK v11 FROM data INTO KAFKA CONNECTION kafka_conn (TOPIC 'v1') KEY (key) NOT ENFORCED "
                        + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT");
        await("v1", 1);
        execute("COMMENT ON COLUMN data.key IS 'v12'",
                "CREATE SINK v12 FROM data INTO KAFKA CONNECTION kafka_conn (TOPIC 'v1') KEY (key) NOT ENFORCED "
                        + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT",
                "CREATE SINK v2 FROM data INTO KAFKA CONNECTION kafka_conn (TOPIC 'v2') KEY (key) NOT ENFORCED "
                        + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT");
        List<AvroTopics.Message> messages = await("v1", 2);
        assertThat(messages).extracting(AvroTopics.Message::partition).containsOnly(75);
        assertThat(messages).extracting(AvroTopics.Message::keyJson).containsOnly("{\"key\":{\"string\":\"v1\"}}");
        assertThat(messages).extracting(AvroTopics.Message::valueJson).containsOnly("{\"key\":{\"string\":\"v1\"},\"value\":null}");
        assertThat(messages.stream().map(AvroTopics.Message::keySchemaId).distinct()).as("a new comment, a new key schema id").hasSize(2);
        for (AvroTopics.Message message : messages) {
            assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(message.key(), 5, message.key().length))).isEqualTo("02047631");
        }
        assertThat(await("v2", 1).get(0).partition()).isEqualTo(175);
    }

    @Test
    void avroCanBeUsedForTheKeyOrTheValueAlone() throws Exception {
        execute("CREATE TABLE mixed (id int PRIMARY KEY, name text)", "INSERT INTO mixed VALUES (7, 'seven')",
                "CREATE SINK text_key FROM mixed INTO KAFKA CONNECTION kafka_conn (TOPIC 'text-key') KEY (id) KEY FORMAT TEXT "
                        + "VALUE FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT",
                "CREATE SINK json_value FROM mixed INTO KAFKA CONNECTION kafka_conn (TOPIC 'json-value') KEY (id) KEY FORMAT AVRO USING CONFLUENT "
                        + "SCHEMA REGISTRY CONNECTION csr_conn VALUE FORMAT JSON ENVELOPE UPSERT");
        AvroTopics.Message textKey = awaitOne("text-key", false, true);
        assertThat(new String(textKey.key(), StandardCharsets.UTF_8)).isEqualTo("7");
        assertThat(textKey.valueJson()).isEqualTo("{\"id\":7,\"name\":{\"string\":\"seven\"}}");
        AvroTopics.Message jsonValue = awaitOne("json-value", true, false);
        assertThat(jsonValue.keyJson()).isEqualTo("{\"id\":7}");
        assertThat(jsonValue.keySchemaId()).isEqualTo(AvroTopics.latest(registry.url(), "json-value-key").get("id").asInt());
        assertThat(new String(jsonValue.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7,\"name\":\"seven\"}");
        JsonNode subjects = AvroTopics.get(registry.url() + "/subjects");
        assertThat(subjects.toString()).contains("\"text-key-value\"", "\"json-value-key\"").doesNotContain("\"text-key-key\"", "\"json-value-value\"");
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute("DROP CONNECTION csr_conn"))
                    .as("a sink depends on the registry connection it publishes to").hasMessageContaining("still depended upon by sink");
        }
        assertThat(query("SELECT name, format, key_format, value_format FROM mz_catalog.mz_sinks WHERE name IN ('text_key', 'json_value') "
                + "ORDER BY name")).containsExactly(List.of("json_value", "key-avro-value-json", "avro", "json"),
                        List.of("text_key", "key-text-value-avro", "text", "avro"));
    }

    private static AvroTopics.Message awaitOne(String topic, boolean avroKey, boolean avroValue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                List<AvroTopics.Message> messages = AvroTopics.readCommitted(kafka.bootstrapServers(), registry.url(), topic, avroKey, avroValue);
                if (!messages.isEmpty()) {
                    assertThat(messages).hasSize(1);
                    return messages.get(0);
                }
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException notThereYet) {
                // The sink creates the topic when it starts.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no message in " + topic);
    }

    @Test
    void compatibilityLevelsAreSetOnlyOnSubjectsWithoutOne() throws Exception {
        assertThat(AvroTopics.sendJson("PUT", registry.url() + "/config/levels-value", "{\"compatibility\":\"FULL\"}").statusCode()).isEqualTo(200);
        execute("CREATE TABLE levels (id int PRIMARY KEY, v text)",
                avroSink("levels_sink", "levels", "levels", "KEY (id)", " (KEY COMPATIBILITY LEVEL 'backward_transitive', "
                        + "VALUE COMPATIBILITY LEVEL 'NONE')", "UPSERT"));
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), "levels", found -> true);
        assertThat(AvroTopics.subjectCompatibility(registry.url(), "levels-key")).isEqualTo("BACKWARD_TRANSITIVE");
        assertThat(AvroTopics.subjectCompatibility(registry.url(), "levels-value")).as("a level already set is left alone").isEqualTo("FULL");
        execute("CREATE TABLE no_levels (id int PRIMARY KEY)", avroSink("no_levels_sink", "no_levels", "no-levels", "KEY (id)", "", "UPSERT"));
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), "no-levels", found -> true);
        assertThat(AvroTopics.subjectCompatibility(registry.url(), "no-levels-key")).startsWith("404");
    }
}
