package dev.sluice.registry.internal;

import dev.sluice.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Parsing and compatibility of Avro schemas, with Apache Avro doing the work: schemas are parsed
 * by {@link Schema.Parser} (names and defaults validated) and stored as {@link Schema#toString()},
 * as Confluent stores them; compatibility is {@link SchemaCompatibility}'s reader/writer check.
 */
final class AvroSchemas {
    static final String TYPE = "AVRO";

    private AvroSchemas() {
    }

    /** A parsed schema and the text it is stored, compared and served as. */
    record Parsed(Schema schema, String canonical) {
    }

    /** @throws RegistryException 42201 when {@code text} is not a valid Avro schema */
    static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "Empty schema");
        }
        try {
            Schema schema = new Schema.Parser().parse(text);
            return new Parsed(schema, schema.toString());
        } catch (RuntimeException e) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA,
                    "Invalid schema " + text + " with refs [] of type AVRO, details: " + e.getMessage());
        }
    }

    /** An earlier version to check against. */
    record Earlier(int version, Schema schema) {
    }

    /**
     * Checks {@code candidate} against {@code earlier} (oldest first) under {@code level}: the
     * latest only, or every one newest first for a transitive level, stopping at the first that
     * fails. Returns Confluent-style messages, empty when compatible.
     */
    static List<String> check(CompatibilityLevel level, Schema candidate, List<Earlier> earlier) {
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return List.of();
        }
        List<Earlier> toCheck = level.transitive() ? earlier : earlier.subList(earlier.size() - 1, earlier.size());
        for (int i = toCheck.size() - 1; i >= 0; i--) {
            Earlier old = toCheck.get(i);
            List<String> messages = new ArrayList<>();
            if (level.oldReadsNew()) {
                messages.addAll(incompatibilities(old.schema(), candidate, "old", "new"));
            }
            if (level.newReadsOld()) {
                messages.addAll(incompatibilities(candidate, old.schema(), "new", "old"));
            }
            if (!messages.isEmpty()) {
                messages.add("{oldSchemaVersion: " + old.version() + "}");
                messages.add("{oldSchema: '" + old.schema() + "'}");
                messages.add("{compatibility: '" + level.name() + "'}");
                return messages;
            }
        }
        return List.of();
    }

    private static List<String> incompatibilities(Schema reader, Schema writer, String readerRole, String writerRole) {
        List<String> messages = new ArrayList<>();
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                .getIncompatibilities()) {
            messages.add(String.format(Locale.ROOT, "{errorType:'%s', description:'%s', additionalInfo:'%s'}", incompatibility.getType(),
                    describe(incompatibility, readerRole, writerRole), incompatibility.getMessage()));
        }
        return messages;
    }

    private static String describe(Incompatibility incompatibility, String readerRole, String writerRole) {
        String at = incompatibility.getLocation();
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> String.format(Locale.ROOT,
                    "The field '%s' at path '%s' in the %s schema has no default value and is missing in the %s schema",
                    incompatibility.getMessage(), at, readerRole, writerRole);
            case MISSING_ENUM_SYMBOLS -> String.format(Locale.ROOT, "The %s schema is missing enum symbols '%s' at path '%s' in the %s schema",
                    readerRole, incompatibility.getMessage(), at, writerRole);
            case MISSING_UNION_BRANCH -> String.format(Locale.ROOT,
                    "The %s schema is missing a type inside a union field at path '%s' in the %s schema", readerRole, at, writerRole);
            case NAME_MISMATCH -> String.format(Locale.ROOT, "The type name at path '%s' in the %s schema does not match the %s schema", at,
                    readerRole, writerRole);
            case FIXED_SIZE_MISMATCH -> String.format(Locale.ROOT, "The size of the fixed type at path '%s' in the %s schema does not match "
                    + "the %s schema", at, readerRole, writerRole);
            case TYPE_MISMATCH -> String.format(Locale.ROOT, "The type (path '%s') of a field in the %s schema does not match the %s schema",
                    at, readerRole, writerRole);
        };
    }
}
