package dev.sluice.common.type;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shape of a relation: its columns in order and its known unique keys (each a list of column
 * indexes; a table's PRIMARY KEY is its first unique key).
 */
public record RelationDesc(List<Column> columns, List<List<Integer>> uniqueKeys) {
    public RelationDesc {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        List<List<Integer>> keys = new ArrayList<>();
        for (List<Integer> key : requireNonNull(uniqueKeys, "uniqueKeys is null")) {
            keys.add(List.copyOf(key));
        }
        uniqueKeys = List.copyOf(keys);
    }

    public static RelationDesc of(List<Column> columns) {
        return new RelationDesc(columns, List.of());
    }

    public int arity() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Index of the column with this exact (already normalised) name. */
    public Optional<Integer> indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
