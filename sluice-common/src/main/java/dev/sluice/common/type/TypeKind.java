package dev.sluice.common.type;

/**
 * The SQL types Sluice stores. The Java representation of a non-null value of each kind is fixed
 * (see {@link SqlType}); every layer (storage, queries, pgwire, encoders) uses that representation.
 */
public enum TypeKind {
    BOOLEAN,
    SMALLINT,
    INTEGER,
    BIGINT,
    REAL,
    DOUBLE,
    NUMERIC,
    TEXT,
    VARCHAR,
    CHAR,
    BYTEA,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    INTERVAL,
    JSONB,
    UUID,
    UINT2,
    UINT4,
    UINT8,
    MAP,
    LIST,
    ARRAY
}
