package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.SqlType;

/** One column of a RowDescription. */
public record ResultColumn(String name, SqlType type, int tableOid, short columnAttribute) {
    public ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public static ResultColumn of(String name, SqlType type) {
        return new ResultColumn(name, type, 0, (short) 0);
    }
}
