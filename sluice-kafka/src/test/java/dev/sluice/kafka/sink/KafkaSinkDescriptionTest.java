package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.connection.KafkaConnectionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Names of reference §3: prefixes are glued to the id base without a separator. */
class KafkaSinkDescriptionTest {
    private static KafkaSinkDescription description(String transactionalPrefix, String groupPrefix) {
        return new KafkaSinkDescription("u7", "s", 0, "env", "u3", KafkaConnectionSpec.plaintext("localhost:9092"), "progress", Optional.empty(),
                "topic", "lz4", transactionalPrefix, groupPrefix, Optional.empty(), Optional.empty(), Map.of(), Duration.ofSeconds(30), Optional.empty(),
                Optional.of(List.of(0)), Optional.empty(), Optional.empty(), KafkaSinkDescription.Format.JSON, KafkaSinkDescription.Format.JSON,
                KafkaSinkDescription.Envelope.UPSERT, true, 0);
    }

    @Test
    void defaultIdsAreTheIdBase() {
        KafkaSinkDescription description = description("", "");
        assertThat(description.idBase()).isEqualTo("materialize-env-u3-u7");
        assertThat(description.transactionalId()).isEqualTo("materialize-env-u3-u7");
        assertThat(description.progressGroupId()).isEqualTo("materialize-env-u3-u7");
    }

    @Test
    void prefixesComeImmediatelyBeforeTheIdBase() {
        KafkaSinkDescription description = description("lockdown", "group-");
        assertThat(description.transactionalId()).isEqualTo("lockdownmaterialize-env-u3-u7");
        assertThat(description.progressGroupId()).isEqualTo("group-materialize-env-u3-u7");
    }
}
