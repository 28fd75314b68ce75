package dev.sluice.kafka.format.avro;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * How one generated schema (key or value) is named and documented.
 *
 * @param fullName the record's fullname ({@code AVRO KEY|VALUE FULLNAME}); the default is {@code row} for keys and
 *        {@code envelope} for values
 * @param nullDefaults {@code NULL DEFAULTS}: every field whose type is a nullable union gets {@code "default": null}
 * @param recordDoc the {@code doc} of the record holding the columns (for Debezium values the inner {@code row})
 * @param fieldDocs the {@code doc} of each field, by the column's SQL name
 */
public record AvroSchemaOptions(Optional<String> fullName, boolean nullDefaults, Optional<String> recordDoc, Map<String, String> fieldDocs) {
    public AvroSchemaOptions {
        requireNonNull(fullName, "fullName is null");
        requireNonNull(recordDoc, "recordDoc is null");
        fieldDocs = Map.copyOf(requireNonNull(fieldDocs, "fieldDocs is null"));
    }

    public static AvroSchemaOptions defaults() {
        return new AvroSchemaOptions(Optional.empty(), false, Optional.empty(), Map.of());
    }
}
