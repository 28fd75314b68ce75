package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Interval;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's template patterns for {@code to_char}, {@code to_timestamp} and {@code to_date}
 * ({@code YYYY-MM-DD HH24:MI:SS.US}, {@code FM} and {@code TH} modifiers, quoted literal text) and
 * the common numeric patterns ({@code 9}, {@code 0}, {@code .}, {@code D}, {@code ,}, {@code G},
 * {@code S}, {@code MI}, {@code FM}).
 */
final class PgFormat {
    /** Longest first, so that {@code HH24} wins over {@code HH}. */
    private static final List<String> PATTERNS = List.of("HH24", "HH12", "HH", "MI", "SS", "MS", "US", "SSSSS", "SSSS", "AM", "PM", "A.M.",
            "P.M.", "am", "pm", "a.m.", "p.m.", "YYYY", "Y,YYY", "YYY", "YY", "Y", "IYYY", "IYY", "IY", "I", "MONTH", "Month", "month", "MON",
            "Mon", "mon", "MM", "DAY", "Day", "day", "DY", "Dy", "dy", "DDD", "DD", "D", "IDDD", "ID", "WW", "W", "IW", "CC", "J", "Q", "TZ",
            "tz", "OF", "BC", "AD", "bc", "ad", "B.C.", "A.D.");

    private PgFormat() {
    }

    static String formatTimestamp(LocalDateTime timestamp, String format, boolean withZone) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            if (format.charAt(i) == '"') {
                int close = format.indexOf('"', i + 1);
                int end = close < 0 ? format.length() : close;
                out.append(format, i + 1, end);
                i = end + 1;
                continue;
            }
            if (format.charAt(i) == '\\' && i + 1 < format.length()) {
                out.append(format.charAt(i + 1));
                i += 2;
                continue;
            }
            boolean fillMode = false;
            if (format.startsWith("FM", i) || format.startsWith("fm", i)) {
                fillMode = true;
                i += 2;
            }
            String pattern = match(format, i);
            if (pattern == null) {
                out.append(format.charAt(i));
                i++;
                continue;
            }
            i += pattern.length();
            String value = field(pattern, timestamp, withZone, fillMode);
            boolean ordinal = false;
            boolean upperOrdinal = true;
            if (format.startsWith("TH", i) || format.startsWith("th", i)) {
                ordinal = true;
                upperOrdinal = format.charAt(i) == 'T';
                i += 2;
            }
            out.append(value);
            if (ordinal) {
                out.append(ordinalSuffix(value, upperOrdinal));
            }
        }
        return out.toString();
    }

    private static String match(String format, int at) {
        for (String pattern : PATTERNS) {
            if (format.startsWith(pattern, at)) {
                return pattern;
            }
        }
        return null;
    }

    private static String field(String pattern, LocalDateTime timestamp, boolean withZone, boolean fill) {
        LocalDate date = timestamp.toLocalDate();
        int hour12 = timestamp.getHour() % 12 == 0 ? 12 : timestamp.getHour() % 12;
        boolean morning = timestamp.getHour() < 12;
        int year = date.getYear() > 0 ? date.getYear() : 1 - date.getYear();
        return switch (pattern) {
            case "HH24" -> pad(timestamp.getHour(), 2, fill);
            case "HH12", "HH" -> pad(hour12, 2, fill);
            case "MI" -> pad(timestamp.getMinute(), 2, fill);
            case "SS" -> pad(timestamp.getSecond(), 2, fill);
            case "MS" -> pad(timestamp.getNano() / 1_000_000, 3, fill);
            case "US" -> pad(timestamp.getNano() / 1000, 6, fill);
            case "SSSS", "SSSSS" -> Integer.toString(timestamp.toLocalTime().toSecondOfDay());
            case "AM", "PM" -> morning ? "AM" : "PM";
            case "am", "pm" -> morning ? "am" : "pm";
            case "A.M.", "P.M." -> morning ? "A.M." : "P.M.";
            case "a.m.", "p.m." -> morning ? "a.m." : "p.m.";
            case "YYYY" -> pad(year, 4, fill);
            case "Y,YYY" -> String.format(Locale.ROOT, "%d,%03d", year / 1000, year % 1000);
            case "YYY" -> pad(year % 1000, 3, fill);
            case "YY" -> pad(year % 100, 2, fill);
            case "Y" -> Integer.toString(year % 10);
            case "IYYY" -> pad(date.get(IsoFields.WEEK_BASED_YEAR), 4, fill);
            case "IYY" -> pad(date.get(IsoFields.WEEK_BASED_YEAR) % 1000, 3, fill);
            case "IY" -> pad(date.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, fill);
            case "I" -> Integer.toString(date.get(IsoFields.WEEK_BASED_YEAR) % 10);
            case "MONTH" -> name(date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toUpperCase(Locale.ROOT), 9, fill);
            case "Month" -> name(date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH), 9, fill);
            case "month" -> name(date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT), 9, fill);
            case "MON" -> date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toUpperCase(Locale.ROOT);
            case "Mon" -> date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case "mon" -> date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            case "MM" -> pad(date.getMonthValue(), 2, fill);
            case "DAY" -> name(date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toUpperCase(Locale.ROOT), 9, fill);
            case "Day" -> name(date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH), 9, fill);
            case "day" -> name(date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT), 9, fill);
            case "DY" -> date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toUpperCase(Locale.ROOT);
            case "Dy" -> date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case "dy" -> date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            case "DDD" -> pad(date.getDayOfYear(), 3, fill);
            case "IDDD" -> pad((date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1) * 7 + date.getDayOfWeek().getValue(), 3, fill);
            case "DD" -> pad(date.getDayOfMonth(), 2, fill);
            case "D" -> Integer.toString(date.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : date.getDayOfWeek().getValue() + 1);
            case "ID" -> Integer.toString(date.getDayOfWeek().getValue());
            case "WW" -> pad((date.getDayOfYear() - 1) / 7 + 1, 2, fill);
            case "W" -> Integer.toString((date.getDayOfMonth() - 1) / 7 + 1);
            case "IW" -> pad(date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, fill);
            case "CC" -> pad((year + 99) / 100, 2, fill);
            case "J" -> Long.toString(date.toEpochDay() + 2_440_588L);
            case "Q" -> Integer.toString((date.getMonthValue() - 1) / 3 + 1);
            case "TZ" -> withZone ? "UTC" : "";
            case "tz" -> withZone ? "utc" : "";
            case "OF" -> withZone ? "+00" : "";
            case "BC", "AD" -> date.getYear() > 0 ? "AD" : "BC";
            case "bc", "ad" -> date.getYear() > 0 ? "ad" : "bc";
            case "B.C.", "A.D." -> date.getYear() > 0 ? "A.D." : "B.C.";
            default -> pattern;
        };
    }

    private static String pad(long value, int width, boolean fill) {
        String text = Long.toString(Math.abs(value));
        if (!fill) {
            text = "0".repeat(Math.max(0, width - text.length())) + text;
        }
        return value < 0 ? "-" + text : text;
    }

    private static String name(String name, int width, boolean fill) {
        return fill ? name : name + " ".repeat(Math.max(0, width - name.length()));
    }

    private static String ordinalSuffix(String number, boolean upper) {
        String digits = number.strip();
        if (digits.isEmpty() || !Character.isDigit(digits.charAt(digits.length() - 1))) {
            return "";
        }
        int value = Integer.parseInt(digits.length() > 2 ? digits.substring(digits.length() - 2) : digits);
        String suffix = value % 100 >= 11 && value % 100 <= 13 ? "th" : switch (value % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return upper ? suffix.toUpperCase(Locale.ROOT) : suffix;
    }

    static String formatInterval(Interval interval, String format) {
        long micros = interval.micros();
        long totalHours = micros / 3_600_000_000L;
        LocalDateTime clock = LocalDateTime.of(2000, 1, 1, 0, 0).plusNanos(Math.floorMod(micros, 3_600_000_000L) * 1000);
        String text = formatTimestamp(clock, format.replace("HH24", "\u0001").replace("DD", "\u0002").replace("MM", "\u0003")
                .replace("YYYY", "\u0004"), false);
        return text.replace("\u0001", String.format(Locale.ROOT, "%02d", totalHours))
                .replace("\u0002", String.format(Locale.ROOT, "%02d", interval.days()))
                .replace("\u0003", String.format(Locale.ROOT, "%02d", interval.months() % 12))
                .replace("\u0004", String.format(Locale.ROOT, "%04d", interval.months() / 12));
    }

    /** {@code to_char(numeric, format)} for digit patterns. */
    static String formatNumber(BigDecimal number, String format) {
        boolean fill = false;
        String pattern = format;
        if (pattern.startsWith("FM") || pattern.startsWith("fm")) {
            fill = true;
            pattern = pattern.substring(2);
        }
        boolean sign = pattern.startsWith("S") || pattern.endsWith("S") || pattern.endsWith("MI");
        String digits = pattern.replace("S", "").replace("MI", "");
        int point = Math.max(digits.indexOf('.'), digits.indexOf('D'));
        String integerPattern = point < 0 ? digits : digits.substring(0, point);
        String fractionPattern = point < 0 ? "" : digits.substring(point + 1);
        int fractionDigits = (int) fractionPattern.chars().filter(c -> c == '9' || c == '0').count();
        int integerDigits = (int) integerPattern.chars().filter(c -> c == '9' || c == '0').count();
        BigDecimal rounded = number.abs().setScale(fractionDigits, RoundingMode.HALF_UP);
        String plain = rounded.toPlainString();
        String integerPart = plain.contains(".") ? plain.substring(0, plain.indexOf('.')) : plain;
        String fractionPart = plain.contains(".") ? plain.substring(plain.indexOf('.') + 1) : "";
        if (integerPart.length() > integerDigits) {
            String hashes = "#".repeat(integerDigits) + (fractionDigits > 0 ? "." + "#".repeat(fractionDigits) : "");
            return (sign ? " " : " ") + hashes;
        }
        StringBuilder out = new StringBuilder();
        int digitIndex = integerPart.length() - integerDigits;
        boolean started = false;
        for (char c : integerPattern.toCharArray()) {
            if (c == '9' || c == '0') {
                char digit = digitIndex >= 0 ? integerPart.charAt(digitIndex) : ' ';
                if (digitIndex < 0 && c == '0') {
                    digit = '0';
                }
                if (digit != ' ' && (digit != '0' || started || c == '0' || digitIndex == integerPart.length() - 1)) {
                    started = true;
                    out.append(digit);
                } else if (!fill) {
                    out.append(' ');
                }
                digitIndex++;
            } else if (c == ',' || c == 'G') {
                if (started) {
                    out.append(',');
                } else if (!fill) {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
        if (point >= 0) {
            out.append('.');
            out.append(fractionPart);
        }
        String body = out.toString();
        String signText = number.signum() < 0 ? "-" : (pattern.startsWith("S") || pattern.endsWith("S") ? "+" : (fill ? "" : " "));
        if (pattern.endsWith("MI")) {
            return body + (number.signum() < 0 ? "-" : " ");
        }
        if (fill) {
            return signText + body.strip();
        }
        int firstDigit = 0;
        while (firstDigit < body.length() && body.charAt(firstDigit) == ' ') {
            firstDigit++;
        }
        return body.substring(0, firstDigit) + signText + body.substring(firstDigit);
    }

    /** {@code to_timestamp(text, format)}: reads the fields the format names. */
    static LocalDateTime parseTimestamp(String text, String format) {
        int year = 1;
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        boolean pm = false;
        boolean twelveHour = false;
        int t = 0;
        int f = 0;
        try {
            while (f < format.length() && t <= text.length()) {
                if (format.startsWith("FM", f)) {
                    f += 2;
                    continue;
                }
                String pattern = match(format, f);
                if (pattern == null) {
                    f++;
                    if (t < text.length() && !Character.isLetterOrDigit(text.charAt(t))) {
                        t++;
                    }
                    continue;
                }
                f += pattern.length();
                while (t < text.length() && text.charAt(t) == ' ') {
                    t++;
                }
                int width = switch (pattern) {
                    case "YYYY", "IYYY" -> 4;
                    case "MS" -> 3;
                    case "US" -> 6;
                    case "DDD" -> 3;
                    case "Y" -> 1;
                    case "YYY" -> 3;
                    default -> 2;
                };
                if (pattern.equalsIgnoreCase("MON") || pattern.equalsIgnoreCase("MONTH")) {
                    String rest = text.substring(t).toLowerCase(Locale.ROOT);
                    for (Month candidate : Month.values()) {
                        String full = candidate.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
                        String shortName = candidate.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
                        if (rest.startsWith(full)) {
                            month = candidate.getValue();
                            t += full.length();
                            break;
                        }
                        if (rest.startsWith(shortName)) {
                            month = candidate.getValue();
                            t += shortName.length();
                            break;
                        }
                    }
                    continue;
                }
                if (pattern.equalsIgnoreCase("AM") || pattern.equalsIgnoreCase("PM")) {
                    pm = text.regionMatches(true, t, "PM", 0, 2);
                    t += 2;
                    continue;
                }
                int end = t;
                while (end < text.length() && end - t < width && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                if (end == t) {
                    throw new IllegalArgumentException(pattern);
                }
                int value = Integer.parseInt(text.substring(t, end));
                t = end;
                switch (pattern) {
                    case "YYYY", "IYYY" -> year = value;
                    case "YY" -> year = 2000 + value;
                    case "MM" -> month = value;
                    case "DD" -> day = value;
                    case "HH24" -> hour = value;
                    case "HH", "HH12" -> {
                        hour = value;
                        twelveHour = true;
                    }
                    case "MI" -> minute = value;
                    case "SS" -> second = value;
                    case "MS" -> micros = value * 1000;
                    case "US" -> micros = value;
                    default -> {
                        // other fields are read and ignored
                    }
                }
            }
            if (twelveHour) {
                hour = hour % 12 + (pm ? 12 : 0);
            }
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
        } catch (DateTimeException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw SluiceException.of(ErrorCode.INVALID_DATETIME_FORMAT, "invalid value \"%s\" for format \"%s\"", text, format);
        }
    }
}
