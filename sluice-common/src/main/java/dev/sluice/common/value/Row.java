package dev.sluice.common.value;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable row of values in the Java representation of {@link dev.sluice.common.type.SqlType}.
 * A SQL NULL is a Java {@code null}. Equality is by value.
 */
public final class Row {
    public static final Row EMPTY = new Row(new Object[0]);

    private final Object[] values;
    private int hash;

    private Row(Object[] values) {
        this.values = values;
    }

    /** Copies {@code values}; elements may be null. */
    public static Row of(Object... values) {
        return new Row(requireNonNull(values, "values is null").clone());
    }

    /** Copies {@code values}; elements may be null. */
    public static Row of(List<?> values) {
        return new Row(requireNonNull(values, "values is null").toArray());
    }

    /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
    public static Row wrap(Object[] values) {
        return new Row(requireNonNull(values, "values is null"));
    }

    public int size() {
        return values.length;
    }

    public Object get(int index) {
        return values[index];
    }

    public boolean isNull(int index) {
        return values[index] == null;
    }

    /** A copy of the values. */
    public Object[] toArray() {
        return values.clone();
    }

    /** An unmodifiable view of the values (may contain nulls). */
    public List<Object> asList() {
        return java.util.Collections.unmodifiableList(Arrays.asList(values));
    }

    /** A new row made of the values at {@code indexes}, in that order. */
    public Row project(List<Integer> indexes) {
        Object[] projected = new Object[indexes.size()];
        for (int i = 0; i < projected.length; i++) {
            projected[i] = values[indexes.get(i)];
        }
        return new Row(projected);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(values);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
