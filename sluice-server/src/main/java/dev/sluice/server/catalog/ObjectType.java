package dev.sluice.server.catalog;

import java.util.Locale;

/** The kinds of catalog objects, as users name them in SQL. */
public enum ObjectType {
    TABLE,
    SECRET,
    CONNECTION,
    SINK;

    /** Lower-case word for messages: {@code table}, {@code secret}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
