package dev.sluice.sql.ast;

import static java.util.Objects.requireNonNull;

/** Raw SQL text of an embedded query or expression, with its 0-based offset in the statement. */
public record SqlFragment(String text, int offset) {
    public SqlFragment {
        requireNonNull(text, "text is null");
    }
}
