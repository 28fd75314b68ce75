package dev.sluice.kafka.envelope;

import dev.sluice.common.time.Update;
import dev.sluice.common.value.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pairing of one timestamp's updates by key (§8.1): retractions become {@code before}s, insertions
 * {@code after}s, matched one to one; leftovers stand alone; multiplicities expand.
 */
public final class DiffPairs {
    /** One message's worth: a retracted row, an inserted row, or both. */
    public record Pair(Optional<Row> before, Optional<Row> after) {
    }

    private DiffPairs() {
    }

    /** Pairs updates that all carry the same time; {@code key} extracts the pairing key. */
    public static List<Pair> pair(List<Update> updates, Function<Row, Object> key) {
        return pair(updates, key, () -> { });
    }

    /**
     * As {@link #pair(List, Function)}, and runs {@code repeatedKey} once when some key has more than one
     * pair at this time (more than one insertion or retraction of it remains after consolidation): the key
     * is not unique in the relation. All the pairs are still returned.
     */
    public static List<Pair> pair(List<Update> updates, Function<Row, Object> key, Runnable repeatedKey) {
        Map<Row, Long> consolidated = new LinkedHashMap<>();
        for (Update update : updates) {
            consolidated.merge(update.row(), update.diff(), (a, b) -> a + b == 0 ? null : a + b);
        }
        Map<Object, List<Row>> befores = new LinkedHashMap<>();
        Map<Object, List<Row>> afters = new LinkedHashMap<>();
        for (Map.Entry<Row, Long> entry : consolidated.entrySet()) {
            Map<Object, List<Row>> side = entry.getValue() < 0 ? befores : afters;
            List<Row> rows = side.computeIfAbsent(key.apply(entry.getKey()), ignored -> new ArrayList<>());
            for (long i = 0; i < Math.abs(entry.getValue()); i++) {
                rows.add(entry.getKey());
            }
        }
        if (repeats(befores) || repeats(afters)) {
            repeatedKey.run();
        }
        List<Pair> pairs = new ArrayList<>();
        for (Map.Entry<Object, List<Row>> entry : afters.entrySet()) {
            List<Row> before = befores.remove(entry.getKey());
            int i = 0;
            for (Row after : entry.getValue()) {
                pairs.add(new Pair(before != null && i < before.size() ? Optional.of(before.get(i)) : Optional.empty(), Optional.of(after)));
                i++;
            }
            for (; before != null && i < before.size(); i++) {
                pairs.add(new Pair(Optional.of(before.get(i)), Optional.empty()));
            }
        }
        befores.values().forEach(rows -> rows.forEach(row -> pairs.add(new Pair(Optional.of(row), Optional.empty()))));
        return pairs;
    }

    private static boolean repeats(Map<Object, List<Row>> side) {
        for (List<Row> rows : side.values()) {
            if (rows.size() > 1) {
                return true;
            }
        }
        return false;
    }
}
