package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code COMMENT ON} text: on an object ({@code column} 0) or on one column of a table
 * ({@code column} = its 1-based position, as {@code pg_description.objsubid}). Stored as its own
 * catalog row (kind {@code comment}); comments document Avro schemas (reference §2.4.1 item 12).
 */
public record Comment(Target target, String text) {
    /** Kind of the catalog rows holding comments. */
    public static final String KIND = "comment";

    /** What a comment is on. */
    public record Target(String objectId, int column) {
        public Target {
            requireNonNull(objectId, "objectId is null");
            if (column < 0) {
                throw new IllegalArgumentException("column is 0 for the object itself, else a 1-based position");
            }
        }

        public boolean onColumn() {
            return column > 0;
        }
    }

    public Comment {
        requireNonNull(target, "target is null");
        requireNonNull(text, "text is null");
    }

    /** The catalog row of this comment (deterministic, so it can be retracted by rebuilding it). */
    public StoredItem stored() {
        ObjectNode body = StoredItem.newBody();
        body.put("object_id", target.objectId());
        body.put("column", target.column());
        body.put("comment", text);
        return new StoredItem("comment-" + target.objectId() + "-" + target.column(), KIND, body);
    }

    public static Comment fromStored(StoredItem item) {
        return new Comment(new Target(item.text("object_id"), item.body().path("column").asInt()), item.text("comment"));
    }
}
