package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.registry.CompatibilityLevel;
import dev.sluice.registry.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One durable change of the registry, as written to its log: a JSON object whose {@code op} names
 * the kind. Replaying the log's changes in order rebuilds the registry exactly.
 */
sealed interface Change {
    ObjectMapper JSON = new ObjectMapper();

    /** {@code subject} gets {@code version}, holding the schema with global {@code id}. */
    record Register(String subject, int version, int id, String schema) implements Change {
        public Register {
            requireNonNull(subject, "subject is null");
            requireNonNull(schema, "schema is null");
        }
    }

    /** Soft (marks deleted) or permanent (forgets) deletion of one version. */
    record DeleteVersion(String subject, int version, boolean permanent) implements Change {
        public DeleteVersion {
            requireNonNull(subject, "subject is null");
        }
    }

    /** Soft deletion of every live version, or permanent deletion of the whole subject with its config and mode. */
    record DeleteSubject(String subject, boolean permanent) implements Change {
        public DeleteSubject {
            requireNonNull(subject, "subject is null");
        }
    }

    /** Sets (or with an empty level, removes) the global or a subject's compatibility level. */
    record SetConfig(Optional<String> subject, Optional<CompatibilityLevel> level) implements Change {
        public SetConfig {
            requireNonNull(subject, "subject is null");
            requireNonNull(level, "level is null");
        }
    }

    /** Sets (or with an empty mode, removes) the global or a subject's mode. */
    record SetMode(Optional<String> subject, Optional<Mode> mode) implements Change {
        public SetMode {
            requireNonNull(subject, "subject is null");
            requireNonNull(mode, "mode is null");
        }
    }

    static byte[] encode(Change change) {
        ObjectNode node = JSON.createObjectNode();
        if (change instanceof Register register) {
            node.put("op", "register").put("subject", register.subject()).put("version", register.version())
                    .put("id", register.id()).put("schema", register.schema());
        } else if (change instanceof DeleteVersion delete) {
            node.put("op", "delete-version").put("subject", delete.subject()).put("version", delete.version())
                    .put("permanent", delete.permanent());
        } else if (change instanceof DeleteSubject delete) {
            node.put("op", "delete-subject").put("subject", delete.subject()).put("permanent", delete.permanent());
        } else if (change instanceof SetConfig config) {
            node.put("op", "config");
            config.subject().ifPresent(subject -> node.put("subject", subject));
            config.level().ifPresent(level -> node.put("compatibility", level.name()));
        } else if (change instanceof SetMode mode) {
            node.put("op", "mode");
            mode.subject().ifPresent(subject -> node.put("subject", subject));
            mode.mode().ifPresent(value -> node.put("mode", value.name()));
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a record that passed its checksum; a record this code cannot read is a bug or a newer format. */
    static Change decode(byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable schema registry log record", e);
        }
        String op = node.path("op").asText();
        return switch (op) {
            case "register" -> new Register(node.get("subject").asText(), node.get("version").asInt(), node.get("id").asInt(),
                    node.get("schema").asText());
            case "delete-version" -> new DeleteVersion(node.get("subject").asText(), node.get("version").asInt(),
                    node.get("permanent").asBoolean());
            case "delete-subject" -> new DeleteSubject(node.get("subject").asText(), node.get("permanent").asBoolean());
            case "config" -> new SetConfig(text(node, "subject"), text(node, "compatibility").map(CompatibilityLevel::valueOf));
            case "mode" -> new SetMode(text(node, "subject"), text(node, "mode").map(Mode::valueOf));
            default -> throw new IllegalStateException("unknown schema registry log record \"" + op + "\"");
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
