package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import java.util.List;

/**
 * The durable form of one catalog entry: a row {@code (id, kind, body)} of the catalog collection,
 * written in the same storage batch as the data changes of the statement that made it, so DDL and
 * data are atomic. {@code body} is a JSON object: {@code name} and {@code create_sql} for objects
 * (planned again on startup), plus kind-specific facts ({@code value} of a secret, {@code as_of}
 * and {@code version} of a sink). Kind {@code meta} holds the environment id.
 */
public record StoredItem(String id, String kind, ObjectNode body) {
    /** The storage collection holding the catalog. */
    public static final String COLLECTION_ID = "catalog";
    public static final RelationDesc DESC = new RelationDesc(
            List.of(new Column("id", SqlType.TEXT, false), new Column("kind", SqlType.TEXT, false), new Column("body", SqlType.TEXT, false)),
            List.of(List.of(0)));
    public static final String META_ID = "meta";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public StoredItem {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(body, "body is null");
    }

    public static ObjectNode newBody() {
        return MAPPER.createObjectNode();
    }

    public Row toRow() {
        try {
            return Row.of(id, kind, MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw SluiceException.internal(e);
        }
    }

    public static StoredItem fromRow(Row row) {
        try {
            return new StoredItem((String) row.get(0), (String) row.get(1), (ObjectNode) MAPPER.readTree((String) row.get(2)));
        } catch (JsonProcessingException | ClassCastException e) {
            throw SluiceException.internal(e);
        }
    }

    public String text(String field) {
        return body.path(field).asText();
    }
}
