package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The body of a register, lookup or compatibility request: {@code {"schema": …, "schemaType"?: …,
 * "references"?: […], "id"?: …, "version"?: …}}. An explicit id and version are for IMPORT mode.
 *
 * @param schema empty when the body had no schema
 * @param referenceCount how many schema references the body listed (none are supported)
 */
public record SchemaRequest(Optional<String> schema, Optional<String> schemaType, int referenceCount, OptionalInt id, OptionalInt version) {
    public SchemaRequest {
        requireNonNull(schema, "schema is null");
        requireNonNull(schemaType, "schemaType is null");
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
    }

    /** A plain Avro schema, as most clients send it. */
    public static SchemaRequest of(String schema) {
        return new SchemaRequest(Optional.of(schema), Optional.empty(), 0, OptionalInt.empty(), OptionalInt.empty());
    }

    /** Parses the schema, refusing other schema types and references with 42201. */
    AvroSchemas.Parsed parse() {
        String type = schemaType.orElse(AvroSchemas.TYPE);
        if (!type.equals(AvroSchemas.TYPE)) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "Invalid schema type " + type + "; this registry supports only AVRO");
        }
        if (referenceCount > 0) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "Schema references are not supported by this registry");
        }
        return AvroSchemas.parse(schema.orElse(null));
    }
}
