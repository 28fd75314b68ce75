package dev.sluice.server.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.StatementParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalSqlTest {
    private static String sink(String sql) {
        return CanonicalSql.sink("s", (Statement.CreateSink) StatementParser.parse(sql));
    }

    private static String connection(String sql) {
        return CanonicalSql.connection("c", (Statement.CreateConnection) StatementParser.parse(sql));
    }

    @Test
    void aSinkIsShownFullyQualifiedWithItsClusterAndOptionsAsNameEqualsValue() {
        assertThat(sink("create sink if not exists s from t into kafka connection k (topic 'o''s') key (id, \"Name\") not enforced "
                + "headers h format json envelope upsert with (snapshot false)"))
                .isEqualTo("CREATE SINK \"materialize\".\"public\".\"s\" IN CLUSTER \"quickstart\" FROM \"materialize\".\"public\".\"t\" "
                        + "INTO KAFKA CONNECTION \"materialize\".\"public\".\"k\" (TOPIC = 'o''s') KEY (\"id\", \"Name\") NOT ENFORCED "
                        + "HEADERS \"h\" FORMAT JSON ENVELOPE UPSERT WITH (SNAPSHOT = false)");
    }

    @Test
    void everyKafkaOptionKeepsItsValue() {
        assertThat(sink("CREATE SINK s IN CLUSTER quickstart FROM public.t INTO KAFKA CONNECTION materialize.public.k (TOPIC = 'x', "
                + "COMPRESSION TYPE gzip, TRANSACTIONAL ID PREFIX = 'tx-', TOPIC PARTITION COUNT = 2, TOPIC REPLICATION FACTOR = -1, "
                + "TOPIC CONFIG = MAP['retention.ms' => '86400000', 'cleanup.policy' => 'compact'], TOPIC METADATA REFRESH INTERVAL = '10 seconds', "
                + "PARTITION BY = seahash(id) % 2 ) KEY (id) KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE DEBEZIUM WITH (SNAPSHOT)"))
                .isEqualTo("CREATE SINK \"materialize\".\"public\".\"s\" IN CLUSTER \"quickstart\" FROM \"materialize\".\"public\".\"t\" "
                        + "INTO KAFKA CONNECTION \"materialize\".\"public\".\"k\" (TOPIC = 'x', COMPRESSION TYPE = gzip, TRANSACTIONAL ID PREFIX = 'tx-', "
                        + "TOPIC PARTITION COUNT = 2, TOPIC REPLICATION FACTOR = -1, "
                        + "TOPIC CONFIG = MAP['retention.ms' => '86400000', 'cleanup.policy' => 'compact'], "
                        + "TOPIC METADATA REFRESH INTERVAL = '10 seconds', PARTITION BY = seahash(id) % 2) KEY (\"id\") "
                        + "KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE DEBEZIUM WITH (SNAPSHOT)");
    }

    @Test
    void avroFormatOptionsAndDocTargetsAreQualified() {
        assertThat(sink("CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'x') FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr "
                + "(AVRO KEY FULLNAME 'a.K', NULL DEFAULTS, KEY DOC ON TYPE t = 'key doc', DOC ON COLUMN t.\"c-1\" = 'it''s', "
                + "VALUE COMPATIBILITY LEVEL 'FULL') ENVELOPE DEBEZIUM"))
                .isEqualTo("CREATE SINK \"materialize\".\"public\".\"s\" IN CLUSTER \"quickstart\" FROM \"materialize\".\"public\".\"t\" "
                        + "INTO KAFKA CONNECTION \"materialize\".\"public\".\"k\" (TOPIC = 'x') FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION "
                        + "\"materialize\".\"public\".\"csr\" (AVRO KEY FULLNAME = 'a.K', NULL DEFAULTS, "
                        + "KEY DOC ON TYPE \"materialize\".\"public\".\"t\" = 'key doc', DOC ON COLUMN \"materialize\".\"public\".\"t\".\"c-1\" = 'it''s', "
                        + "VALUE COMPATIBILITY LEVEL = 'FULL') ENVELOPE DEBEZIUM");
    }

    @Test
    void aConnectionShowsSecretsByQualifiedNameOnly() {
        assertThat(connection("CREATE CONNECTION IF NOT EXISTS c TO KAFKA (BROKERS ('a:9092', 'b:9092'), SECURITY PROTOCOL SASL_PLAINTEXT, "
                + "SASL MECHANISMS = 'PLAIN', SASL USERNAME = 'u', SASL PASSWORD = SECRET pw, PROGRESS TOPIC REPLICATION FACTOR 1) WITH (VALIDATE = false)"))
                .isEqualTo("CREATE CONNECTION \"materialize\".\"public\".\"c\" TO KAFKA (BROKERS = ('a:9092', 'b:9092'), SECURITY PROTOCOL = sasl_plaintext, "
                        + "SASL MECHANISMS = 'PLAIN', SASL USERNAME = 'u', SASL PASSWORD = SECRET \"materialize\".\"public\".\"pw\", "
                        + "PROGRESS TOPIC REPLICATION FACTOR = 1) WITH (VALIDATE = false)");
        assertThat(connection("CREATE CONNECTION c TO KAFKA BROKER 'a:9092'"))
                .isEqualTo("CREATE CONNECTION \"materialize\".\"public\".\"c\" TO KAFKA (BROKER = 'a:9092')");
        assertThat(connection("CREATE CONNECTION c TO CONFLUENT SCHEMA REGISTRY (URL 'http://r:8081', USERNAME = SECRET u, PASSWORD = SECRET p)"))
                .isEqualTo("CREATE CONNECTION \"materialize\".\"public\".\"c\" TO CONFLUENT SCHEMA REGISTRY (URL = 'http://r:8081', "
                        + "USERNAME = SECRET \"materialize\".\"public\".\"u\", PASSWORD = SECRET \"materialize\".\"public\".\"p\")");
    }

    /** The canonical form parses back to itself: what SHOW CREATE shows can be run again. */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'x', TOPIC CONFIG MAP['a' => 'b''c'], PARTITION BY = id + 1) KEY (id) FORMAT JSON ENVELOPE UPSERT",
            "CREATE SINK \"S x\" FROM \"T\" INTO KAFKA CONNECTION k (TOPIC 'x') HEADERS h FORMAT TEXT ENVELOPE DEBEZIUM WITH (SNAPSHOT = true)",
            "CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'x') KEY FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr "
                    + "VALUE FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr (DOC ON TYPE t = 'd') ENVELOPE UPSERT"})
    void theCanonicalFormIsAFixedPoint(String sql) {
        Statement.CreateSink first = (Statement.CreateSink) StatementParser.parse(sql);
        String canonical = CanonicalSql.sink(first.name().orElseThrow().last(), first);
        Statement.CreateSink again = (Statement.CreateSink) StatementParser.parse(canonical);
        assertThat(CanonicalSql.sink(again.name().orElseThrow().last(), again)).isEqualTo(canonical);
        assertThat(again.from().last()).isEqualTo(first.from().last());
        assertThat(again.kafkaOptions()).extracting(option -> option.name()).isEqualTo(first.kafkaOptions().stream().map(option -> option.name()).toList());
    }
}
