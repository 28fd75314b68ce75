package dev.sluice.kafka.registry;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publication of a sink's schemas, every time the sink starts (reference §9.3): key first, then
 * value, under the subjects {@code {topic}-key} and {@code {topic}-value}. When a compatibility level
 * was requested and the subject has none (or does not exist yet) it is set first; a different level
 * already set is left alone and only logged. Subjects are never deleted.
 */
public final class SchemaPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaPublisher.class);

    /** One schema to publish: where, what, and the compatibility level asked for. */
    public record Subject(SchemaRegistryClient registry, String subject, String schema, Optional<String> compatibilityLevel) {
    }

    private SchemaPublisher() {
    }

    public static String keySubject(String topic) {
        return topic + "-key";
    }

    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /**
     * Publishes one subject and returns the schema id to frame messages with. Failures carry the
     * reference's texts, {@code error publishing kafka schemas for sink: unable to publish schema to
     * registry in kafka sink: …}, with the {@link SchemaRegistryException} as cause.
     */
    public static int publish(Subject subject) {
        try {
            if (subject.compatibilityLevel().isPresent()) {
                ensureCompatibility(subject);
            }
            try {
                return subject.registry().register(subject.subject(), subject.schema());
            } catch (SchemaRegistryException e) {
                throw new SluiceException(ErrorCode.SYSTEM_ERROR, "unable to publish schema to registry in kafka sink", e);
            }
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "error publishing kafka schemas for sink", e);
        }
    }

    private static void ensureCompatibility(Subject subject) {
        String wanted = subject.compatibilityLevel().get();
        try {
            Optional<String> current = subject.registry().subjectCompatibility(subject.subject());
            if (current.isEmpty()) {
                subject.registry().setSubjectCompatibility(subject.subject(), wanted);
            } else if (!current.get().equals(wanted)) {
                LOG.info("subject {} keeps its compatibility level {}; the sink asked for {}", subject.subject(), current.get(), wanted);
            }
        } catch (SchemaRegistryException e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "unable to update schema compatibility level in kafka sink", e);
        }
    }
}
