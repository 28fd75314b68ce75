package dev.sluice.kafka.connection;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.kafka.registry.SchemaRegistryClient;
import dev.sluice.kafka.registry.SchemaRegistryException;
import dev.sluice.kafka.registry.SchemaRegistrySpec;
import java.time.Duration;

/** {@code WITH (VALIDATE = true)} for a schema registry, and the check CREATE SINK makes: {@code GET /subjects}. */
public final class SchemaRegistryValidator {
    private SchemaRegistryValidator() {
    }

    public static void validate(SchemaRegistrySpec spec, Duration timeout) {
        try {
            new SchemaRegistryClient(spec, timeout).subjects();
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.UNREACHABLE) {
                throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "failed to reach schema registry at " + spec.url() + ": " + e.getMessage())
                        .withHint("Check the URL, or create the connection WITH (VALIDATE = false).");
            }
            throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "schema registry at " + spec.url() + " answered GET /subjects with " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage());
        }
    }
}
