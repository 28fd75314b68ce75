package dev.sluice.kafka.sink;

import dev.sluice.kafka.registry.SchemaPublisher;
import dev.sluice.kafka.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The schema ids of one sink incarnation: its Avro schemas are published at every start, key
 * first, then value (reference §9.3), before anything is written, and the ids the registry returns
 * frame every message of that incarnation, so no message ever carries another schema's id.
 */
record SchemaIds(OptionalInt key, OptionalInt value) {
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    static SchemaIds publish(KafkaSinkDescription description) {
        OptionalInt key = publish(description.keyAvro(), SchemaPublisher.keySubject(description.topic()));
        OptionalInt value = publish(description.valueAvro(), SchemaPublisher.valueSubject(description.topic()));
        return new SchemaIds(key, value);
    }

    private static OptionalInt publish(Optional<KafkaSinkDescription.AvroPart> part, String subject) {
        if (part.isEmpty()) {
            return OptionalInt.empty();
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(part.get().registry(), REGISTRY_TIMEOUT);
        return OptionalInt.of(SchemaPublisher.publish(new SchemaPublisher.Subject(registry, subject, part.get().schema(),
                part.get().compatibilityLevel())));
    }
}
