package dev.sluice.common.value.codec;

import dev.sluice.common.type.SqlType;

/**
 * PostgreSQL's text format for every {@link SqlType}: what {@code psql} prints and what a text
 * parameter or a cast from text reads. Session time zone is UTC.
 */
public final class PgText {
    private PgText() {
    }

    /** The PostgreSQL text output of a non-null value. */
    public static String format(SqlType type, Object value) {
        throw new UnsupportedOperationException("PgText.format: being written");
    }

    /**
     * Parses PostgreSQL text input into the Java value of {@code type}.
     *
     * @throws dev.sluice.common.error.SluiceException 22P02 (invalid input syntax), 22003, 22008, ...
     *     with PostgreSQL's message, e.g. {@code invalid input syntax for type integer: "abc"}
     */
    public static Object parse(SqlType type, String text) {
        throw new UnsupportedOperationException("PgText.parse: being written");
    }
}
