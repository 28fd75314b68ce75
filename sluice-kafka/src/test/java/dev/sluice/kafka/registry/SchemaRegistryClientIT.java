package dev.sluice.kafka.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.SluiceException;
import dev.sluice.testing.registry.TestRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink's registry client and the publication protocol against the real built-in registry. */
class SchemaRegistryClientIT {
    private static final String ROW = "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
    private static final String OTHER = "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"b\",\"type\":\"string\"}]}";
    private static TestRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        client = new SchemaRegistryClient(SchemaRegistrySpec.of(registry.url() + "/"), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void registeringAnIdenticalSchemaReturnsTheExistingId() {
        int id = client.register("same-value", ROW);
        assertThat(client.register("same-value", ROW)).isEqualTo(id);
        assertThat(client.subjects()).contains("same-value");
        assertThat(client.register("same-copy-value", ROW)).as("ids are global per schema").isEqualTo(id);
    }

    @Test
    void subjectsWithoutTheirOwnLevelHaveNone() {
        assertThat(client.subjectCompatibility("never-registered-value")).isEmpty();
        client.register("no-level-value", ROW);
        assertThat(client.subjectCompatibility("no-level-value")).isEmpty();
        client.setSubjectCompatibility("no-level-value", "FORWARD");
        assertThat(client.subjectCompatibility("no-level-value")).contains("FORWARD");
    }

    @Test
    void anIncompatibleSchemaIsClassifiedWithTheReferenceMessage() {
        client.setSubjectCompatibility("strict-value", "FULL");
        client.register("strict-value", ROW);
        assertThatThrownBy(() -> client.register("strict-value", OTHER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).startsWith("schema being registered is incompatible with an earlier schema");
                });
    }

    @Test
    void aRegistryThatDoesNotAnswerIsUnreachableAndRetriable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SchemaRegistryClient absent = new SchemaRegistryClient(SchemaRegistrySpec.of("http://127.0.0.1:" + port), Duration.ofSeconds(2));
        assertThatThrownBy(absent::subjects).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).startsWith("error sending request for url (http://127.0.0.1:" + port + "/subjects)");
        });
    }

    @Test
    void publicationSetsALevelOnlyWhereNoneIsSet() {
        SchemaPublisher.publish(new SchemaPublisher.Subject(client, "fresh-key", ROW, Optional.of("BACKWARD")));
        assertThat(client.subjectCompatibility("fresh-key")).contains("BACKWARD");
        client.setSubjectCompatibility("kept-key", "NONE");
        int id = SchemaPublisher.publish(new SchemaPublisher.Subject(client, "kept-key", ROW, Optional.of("FULL_TRANSITIVE")));
        assertThat(client.subjectCompatibility("kept-key")).contains("NONE");
        assertThat(client.register("kept-key", ROW)).isEqualTo(id);
        SchemaPublisher.publish(new SchemaPublisher.Subject(client, "untouched-key", ROW, Optional.empty()));
        assertThat(client.subjectCompatibility("untouched-key")).isEmpty();
    }

    @Test
    void publicationFailuresCarryTheReferenceTexts() {
        client.setSubjectCompatibility("conflict-value", "BACKWARD");
        client.register("conflict-value", OTHER);
        assertThatThrownBy(() -> SchemaPublisher.publish(new SchemaPublisher.Subject(client, "conflict-value", ROW, Optional.empty())))
                .isInstanceOf(SluiceException.class)
                .hasMessage("error publishing kafka schemas for sink")
                .cause().hasMessage("unable to publish schema to registry in kafka sink")
                .cause().isInstanceOf(SchemaRegistryException.class).hasMessageStartingWith("schema being registered is incompatible");
        SchemaRegistryClient absent = new SchemaRegistryClient(SchemaRegistrySpec.of("http://127.0.0.1:1"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> SchemaPublisher.publish(new SchemaPublisher.Subject(absent, "x-value", ROW, Optional.of("FULL"))))
                .hasMessage("error publishing kafka schemas for sink")
                .cause().hasMessage("unable to update schema compatibility level in kafka sink");
    }
}
