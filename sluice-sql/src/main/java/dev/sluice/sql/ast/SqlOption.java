package dev.sluice.sql.ast;

import static java.util.Objects.requireNonNull;

/** An option {@code NAME [=] value}; {@code name} is upper-case words joined by spaces; {@code position} is 1-based. */
public record SqlOption(String name, OptionValue value, int position) {
    public SqlOption {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }
}
