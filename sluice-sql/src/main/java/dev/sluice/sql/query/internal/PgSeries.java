package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.codec.JsonbText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * Set-returning functions as arrays that {@code UNNEST} turns into rows (PgSyntax and PgRewriter
 * write {@code generate_series(…)} as {@code UNNEST("$generate_series"(…))}). Numeric series are
 * computed lazily, so a long series costs no memory. Public for generated code.
 */
public final class PgSeries {
    private PgSeries() {
    }

    private static long count(long start, long stop, long step) {
        if (step == 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "step size cannot equal zero");
        }
        if (step > 0 ? start > stop : start < stop) {
            return 0;
        }
        long count = (stop - start) / step + 1;
        if (count > Integer.MAX_VALUE) {
            throw new SluiceException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "generate_series produces more than 2147483647 rows")
                    .withHint("Use a narrower range or a larger step.");
        }
        return count;
    }

    public static List<Integer> integers(long start, long stop) {
        return integersBy(start, stop, 1);
    }

    public static List<Integer> integersBy(long start, long stop, long step) {
        int size = (int) count(start, stop, step);
        return new AbstractList<>() {
            @Override
            public Integer get(int index) {
                return (int) (start + index * step);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    public static List<Long> longs(long start, long stop) {
        return longsBy(start, stop, 1);
    }

    public static List<Long> longsBy(long start, long stop, long step) {
        int size = (int) count(start, stop, step);
        return new AbstractList<>() {
            @Override
            public Long get(int index) {
                return start + index * step;
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    public static List<BigDecimal> decimals(BigDecimal start, BigDecimal stop, BigDecimal step) {
        if (step.signum() == 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "step size cannot equal zero");
        }
        List<BigDecimal> values = new ArrayList<>();
        for (BigDecimal value = start; step.signum() > 0 ? value.compareTo(stop) <= 0 : value.compareTo(stop) >= 0; value = value.add(step)) {
            values.add(value);
        }
        return values;
    }

    public static List<BigDecimal> decimals2(BigDecimal start, BigDecimal stop) {
        return decimals(start, stop, BigDecimal.ONE);
    }

    public static List<LocalDateTime> timestamps(LocalDateTime start, LocalDateTime stop, Interval step) {
        List<LocalDateTime> values = new ArrayList<>();
        boolean forward = PgDatetime.timestampPlus(start, step).isAfter(start);
        if (!forward && !PgDatetime.timestampPlus(start, step).isBefore(start)) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "step size cannot equal zero");
        }
        for (LocalDateTime value = start; forward ? !value.isAfter(stop) : !value.isBefore(stop); value = PgDatetime.timestampPlus(value, step)) {
            values.add(value);
        }
        return values;
    }

    public static List<Instant> timestamptzs(Instant start, Instant stop, Interval step) {
        List<Instant> values = new ArrayList<>();
        for (LocalDateTime value : timestamps(LocalDateTime.ofInstant(start, ZoneOffset.UTC),
                LocalDateTime.ofInstant(stop, ZoneOffset.UTC), step)) {
            values.add(value.toInstant(ZoneOffset.UTC));
        }
        return values;
    }

    /** The elements of a jsonb array. */
    public static List<Jsonb> jsonbElements(Jsonb value) {
        com.fasterxml.jackson.databind.JsonNode node = JsonbText.tree(value);
        if (!node.isArray()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "cannot extract elements from " + (node.isObject() ? "an object" : "a scalar"));
        }
        List<Jsonb> elements = new ArrayList<>();
        node.forEach(element -> elements.add(PgJson.of(element)));
        return elements;
    }

    /** The elements of a jsonb array as text (strings unquoted). */
    public static List<String> jsonbElementsText(Jsonb value) {
        List<String> elements = new ArrayList<>();
        for (Jsonb element : jsonbElements(value)) {
            com.fasterxml.jackson.databind.JsonNode node = JsonbText.tree(element);
            elements.add(node.isNull() ? null : node.isTextual() ? node.textValue() : element.text());
        }
        return elements;
    }
}
