package dev.sluice.common.value.codec;

import dev.sluice.common.value.Interval;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL interval input: {@code 1 day 02:03:04}, {@code 1 year 2 mons}, ISO 8601 {@code P1DT2H}, {@code @ 1 minute ago}. */
final class IntervalParser {
    private static final Pattern TIME = Pattern.compile("([+-])?(\\d+):(\\d{1,2})(?::(\\d{1,2})(\\.\\d+)?)?");
    private static final Pattern GLUED_UNIT = Pattern.compile("(\\d)([a-z]+)\\b");
    private static final Pattern ISO = Pattern.compile("P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)W)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?");

    private IntervalParser() {
    }

    static Interval parse(String input) {
        String text = input.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            return parseIso(text.toUpperCase(Locale.ROOT));
        }
        if (text.startsWith("@")) {
            text = text.substring(1).trim();
        }
        boolean ago = false;
        if (text.endsWith(" ago")) {
            ago = true;
            text = text.substring(0, text.length() - 4).trim();
        }
        long months = 0;
        long days = 0;
        BigDecimal micros = BigDecimal.ZERO;
        // A unit may follow its number directly, as in '1s', '100ms' or '2h 30m'.
        text = GLUED_UNIT.matcher(text).replaceAll("$1 $2");
        String[] tokens = text.split("\\s+");
        if (text.isEmpty()) {
            throw new IllegalArgumentException(input);
        }
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            Matcher time = TIME.matcher(token);
            if (time.matches()) {
                BigDecimal value = new BigDecimal(time.group(2)).multiply(BigDecimal.valueOf(3_600_000_000L))
                        .add(new BigDecimal(time.group(3)).multiply(BigDecimal.valueOf(60_000_000L)));
                if (time.group(4) != null) {
                    value = value.add(new BigDecimal(time.group(4) + (time.group(5) == null ? "" : time.group(5))).multiply(BigDecimal.valueOf(1_000_000L)));
                }
                micros = micros.add("-".equals(time.group(1)) ? value.negate() : value);
                continue;
            }
            BigDecimal number = new BigDecimal(token);
            String unit = i + 1 < tokens.length ? tokens[++i] : "second";
            if (!unit.equals("ms") && !unit.equals("us")) {
                unit = unit.replaceAll("s$", "");
            }
            switch (unit) {
                case "millennium", "millennia" -> months += number.multiply(BigDecimal.valueOf(12_000)).longValueExact();
                case "century", "centurie" -> months += number.multiply(BigDecimal.valueOf(1200)).longValueExact();
                case "decade" -> months += number.multiply(BigDecimal.valueOf(120)).longValueExact();
                case "year", "yr", "y" -> months += number.multiply(BigDecimal.valueOf(12)).longValueExact();
                case "month", "mon" -> months += number.longValueExact();
                case "week", "w" -> days += number.multiply(BigDecimal.valueOf(7)).longValueExact();
                case "day", "d" -> days += number.longValueExact();
                case "hour", "hr", "h" -> micros = micros.add(number.multiply(BigDecimal.valueOf(3_600_000_000L)));
                case "minute", "min", "m" -> micros = micros.add(number.multiply(BigDecimal.valueOf(60_000_000L)));
                case "second", "sec", "" -> micros = micros.add(number.multiply(BigDecimal.valueOf(1_000_000L)));
                case "millisecond", "ms", "msec" -> micros = micros.add(number.multiply(BigDecimal.valueOf(1000L)));
                case "microsecond", "usec", "us", "u" -> micros = micros.add(number);
                default -> throw new IllegalArgumentException(input);
            }
        }
        Interval interval = new Interval(Math.toIntExact(months), Math.toIntExact(days), micros.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        return ago ? new Interval(-interval.months(), -interval.days(), -interval.micros()) : interval;
    }

    private static Interval parseIso(String text) {
        Matcher matcher = ISO.matcher(text);
        if (!matcher.matches() || text.equals("P") || text.endsWith("T")) {
            throw new IllegalArgumentException(text);
        }
        long months = value(matcher.group(1)) * 12 + value(matcher.group(2));
        long days = value(matcher.group(3)) * 7 + value(matcher.group(4));
        BigDecimal micros = BigDecimal.valueOf(value(matcher.group(5)) * 3_600_000_000L + value(matcher.group(6)) * 60_000_000L);
        if (matcher.group(7) != null) {
            micros = micros.add(new BigDecimal(matcher.group(7)).multiply(BigDecimal.valueOf(1_000_000L)));
        }
        return new Interval(Math.toIntExact(months), Math.toIntExact(days), micros.longValue());
    }

    private static long value(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
