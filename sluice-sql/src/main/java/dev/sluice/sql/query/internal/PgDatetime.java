package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Interval;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;
import org.apache.calcite.DataContext;

/**
 * PostgreSQL's date and time arithmetic and functions over Sluice's values (microsecond
 * precision; the session time zone is UTC). Dates arrive as days since the epoch (Calcite's
 * representation). Public for generated code.
 */
public final class PgDatetime {
    static final long MICROS_PER_DAY = 86_400_000_000L;
    /** The execution's start time ({@code now()}), an {@link Instant} in the data context. */
    public static final String NOW = "sluiceNow";

    private PgDatetime() {
    }

    // ------------------------------------------------------------------ current time

    public static Instant now(DataContext context) {
        return (Instant) context.get(NOW);
    }

    public static LocalDateTime localNow(DataContext context) {
        return LocalDateTime.ofInstant(now(context), ZoneOffset.UTC);
    }

    public static LocalTime currentTime(DataContext context) {
        return localNow(context).toLocalTime();
    }

    public static Instant clockTimestamp() {
        Instant now = Instant.now();
        return now.truncatedTo(ChronoUnit.MICROS);
    }

    // ------------------------------------------------------------------ arithmetic

    public static LocalDateTime timestampPlus(LocalDateTime timestamp, Interval interval) {
        return checkRange(timestamp.plusMonths(interval.months()).plusDays(interval.days()).plus(interval.micros(), ChronoUnit.MICROS));
    }

    public static LocalDateTime timestampMinus(LocalDateTime timestamp, Interval interval) {
        return timestampPlus(timestamp, negate(interval));
    }

    public static LocalDateTime intervalPlusTimestamp(Interval interval, LocalDateTime timestamp) {
        return timestampPlus(timestamp, interval);
    }

    public static Instant timestamptzPlus(Instant instant, Interval interval) {
        return timestampPlus(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), interval).toInstant(ZoneOffset.UTC);
    }

    public static Instant timestamptzMinus(Instant instant, Interval interval) {
        return timestamptzPlus(instant, negate(interval));
    }

    public static Instant intervalPlusTimestamptz(Interval interval, Instant instant) {
        return timestamptzPlus(instant, interval);
    }

    public static LocalDateTime datePlusInterval(int date, Interval interval) {
        return timestampPlus(LocalDate.ofEpochDay(date).atStartOfDay(), interval);
    }

    public static LocalDateTime dateMinusInterval(int date, Interval interval) {
        return timestampPlus(LocalDate.ofEpochDay(date).atStartOfDay(), negate(interval));
    }

    public static LocalDateTime intervalPlusDate(Interval interval, int date) {
        return datePlusInterval(date, interval);
    }

    public static int datePlusDays(int date, long days) {
        return Math.toIntExact(date + days);
    }

    public static int daysPlusDate(long days, int date) {
        return datePlusDays(date, days);
    }

    public static int dateMinusDays(int date, long days) {
        return Math.toIntExact(date - days);
    }

    public static int dateMinusDate(int left, int right) {
        return left - right;
    }

    public static LocalDateTime datePlusTime(int date, LocalTime time) {
        return LocalDate.ofEpochDay(date).atTime(time);
    }

    public static LocalTime timePlus(LocalTime time, Interval interval) {
        return time.plus(Math.floorMod(interval.micros(), MICROS_PER_DAY), ChronoUnit.MICROS);
    }

    public static LocalTime timeMinus(LocalTime time, Interval interval) {
        return timePlus(time, negate(interval));
    }

    public static Interval timeMinusTime(LocalTime left, LocalTime right) {
        return new Interval(0, 0, (left.toNanoOfDay() - right.toNanoOfDay()) / 1000);
    }

    public static Interval timestampMinusTimestamp(LocalDateTime left, LocalDateTime right) {
        long micros = ChronoUnit.MICROS.between(right, left);
        return new Interval(0, (int) (micros / MICROS_PER_DAY), micros % MICROS_PER_DAY);
    }

    public static Interval timestamptzMinusTimestamptz(Instant left, Instant right) {
        return timestampMinusTimestamp(LocalDateTime.ofInstant(left, ZoneOffset.UTC), LocalDateTime.ofInstant(right, ZoneOffset.UTC));
    }

    public static Interval intervalPlus(Interval left, Interval right) {
        return new Interval(Math.addExact(left.months(), right.months()), Math.addExact(left.days(), right.days()),
                Math.addExact(left.micros(), right.micros()));
    }

    public static Interval intervalMinus(Interval left, Interval right) {
        return intervalPlus(left, negate(right));
    }

    public static Interval negate(Interval interval) {
        return new Interval(Math.negateExact(interval.months()), Math.negateExact(interval.days()), Math.negateExact(interval.micros()));
    }

    /** {@code interval * factor} as PostgreSQL: fractional months carry into days (30 each), fractional days into time. */
    public static Interval intervalTimes(Interval interval, double factor) {
        if (Double.isNaN(factor) || Double.isInfinite(factor)) {
            throw SluiceException.of(ErrorCode.DATETIME_FIELD_OVERFLOW, "interval out of range");
        }
        double months = interval.months() * factor;
        int wholeMonths = (int) months;
        double days = interval.days() * factor + (months - wholeMonths) * 30;
        int wholeDays = (int) days;
        double micros = interval.micros() * factor + (days - wholeDays) * MICROS_PER_DAY;
        return new Interval(wholeMonths, wholeDays, Math.round(micros));
    }

    public static Interval timesInterval(double factor, Interval interval) {
        return intervalTimes(interval, factor);
    }

    public static Interval intervalDivide(Interval interval, double divisor) {
        if (divisor == 0) {
            throw new SluiceException(ErrorCode.DIVISION_BY_ZERO, "division by zero");
        }
        return intervalTimes(interval, 1 / divisor);
    }

    private static LocalDateTime checkRange(LocalDateTime timestamp) {
        if (timestamp.getYear() < -4713 || timestamp.getYear() > 294_276) {
            throw SluiceException.of(ErrorCode.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        }
        return timestamp;
    }

    // ------------------------------------------------------------------ date_trunc

    public static LocalDateTime dateTruncTimestamp(String unit, LocalDateTime timestamp) {
        LocalDate date = timestamp.toLocalDate();
        return switch (unit(unit)) {
            case "microseconds" -> timestamp.truncatedTo(ChronoUnit.MICROS);
            case "milliseconds" -> timestamp.truncatedTo(ChronoUnit.MILLIS);
            case "second" -> timestamp.truncatedTo(ChronoUnit.SECONDS);
            case "minute" -> timestamp.truncatedTo(ChronoUnit.MINUTES);
            case "hour" -> timestamp.truncatedTo(ChronoUnit.HOURS);
            case "day" -> date.atStartOfDay();
            case "week" -> date.minusDays(date.getDayOfWeek().getValue() - 1L).atStartOfDay();
            case "month" -> date.withDayOfMonth(1).atStartOfDay();
            case "quarter" -> LocalDate.of(date.getYear(), (date.getMonthValue() - 1) / 3 * 3 + 1, 1).atStartOfDay();
            case "year" -> LocalDate.of(date.getYear(), 1, 1).atStartOfDay();
            case "decade" -> LocalDate.of(Math.floorDiv(date.getYear(), 10) * 10, 1, 1).atStartOfDay();
            case "century" -> LocalDate.of(date.getYear() > 0 ? (date.getYear() - 1) / 100 * 100 + 1 : -((-date.getYear()) / 100 * 100) - 99, 1, 1)
                    .atStartOfDay();
            case "millennium" -> LocalDate.of(date.getYear() > 0 ? (date.getYear() - 1) / 1000 * 1000 + 1 : -((-date.getYear()) / 1000 * 1000) - 999,
                    1, 1).atStartOfDay();
            default -> throw unsupportedUnit(unit, "timestamp without time zone");
        };
    }

    public static Instant dateTruncTimestamptz(String unit, Instant instant) {
        return dateTruncTimestamp(unit, LocalDateTime.ofInstant(instant, ZoneOffset.UTC)).toInstant(ZoneOffset.UTC);
    }

    public static Interval dateTruncInterval(String unit, Interval interval) {
        long micros = interval.micros();
        return switch (unit(unit)) {
            case "microseconds" -> interval;
            case "milliseconds" -> new Interval(interval.months(), interval.days(), micros / 1000 * 1000);
            case "second" -> new Interval(interval.months(), interval.days(), micros / 1_000_000 * 1_000_000);
            case "minute" -> new Interval(interval.months(), interval.days(), micros / 60_000_000 * 60_000_000);
            case "hour" -> new Interval(interval.months(), interval.days(), micros / 3_600_000_000L * 3_600_000_000L);
            case "day" -> new Interval(interval.months(), interval.days(), 0);
            case "month" -> new Interval(interval.months(), 0, 0);
            case "quarter" -> new Interval(interval.months() / 3 * 3, 0, 0);
            case "year" -> new Interval(interval.months() / 12 * 12, 0, 0);
            case "decade" -> new Interval(interval.months() / 120 * 120, 0, 0);
            case "century" -> new Interval(interval.months() / 1200 * 1200, 0, 0);
            case "millennium" -> new Interval(interval.months() / 12000 * 12000, 0, 0);
            default -> throw unsupportedUnit(unit, "interval");
        };
    }

    // ------------------------------------------------------------------ date_part and extract

    public static double datePartTimestamp(String field, LocalDateTime timestamp) {
        return extractTimestamp(field, timestamp).doubleValue();
    }

    public static double datePartTimestamptz(String field, Instant instant) {
        return extractTimestamptz(field, instant).doubleValue();
    }

    public static double datePartDate(String field, int date) {
        return extractTimestamp(field, LocalDate.ofEpochDay(date).atStartOfDay()).doubleValue();
    }

    public static double datePartTime(String field, LocalTime time) {
        return extractTime(field, time).doubleValue();
    }

    public static double datePartInterval(String field, Interval interval) {
        return extractInterval(field, interval).doubleValue();
    }

    public static BigDecimal extractTimestamptz(String field, Instant instant) {
        if (unit(field).equals("timezone") || unit(field).equals("timezone_hour") || unit(field).equals("timezone_minute")) {
            return BigDecimal.ZERO;
        }
        return extractTimestamp(field, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static BigDecimal extractDate(String field, int date) {
        String unit = unit(field);
        switch (unit) {
            case "hour", "minute", "second", "milliseconds", "microseconds" ->
                    throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type date", field.toLowerCase(Locale.ROOT));
            case "epoch" -> {
                return BigDecimal.valueOf((long) date * 86_400);
            }
            default -> {
                return extractTimestamp(field, LocalDate.ofEpochDay(date).atStartOfDay());
            }
        }
    }

    public static BigDecimal extractTimestamp(String field, LocalDateTime timestamp) {
        LocalDate date = timestamp.toLocalDate();
        int year = date.getYear();
        BigDecimal seconds = BigDecimal.valueOf(timestamp.getSecond() * 1_000_000L + timestamp.getNano() / 1000, 6);
        return switch (unit(field)) {
            case "microseconds" -> seconds.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY);
            case "milliseconds" -> seconds.movePointRight(3).setScale(3, RoundingMode.UNNECESSARY);
            case "second" -> seconds;
            case "minute" -> BigDecimal.valueOf(timestamp.getMinute());
            case "hour" -> BigDecimal.valueOf(timestamp.getHour());
            case "day" -> BigDecimal.valueOf(date.getDayOfMonth());
            case "month" -> BigDecimal.valueOf(date.getMonthValue());
            case "quarter" -> BigDecimal.valueOf((date.getMonthValue() - 1) / 3 + 1);
            case "year" -> BigDecimal.valueOf(year > 0 ? year : year - 1);
            case "decade" -> BigDecimal.valueOf(Math.floorDiv(year, 10));
            case "century" -> BigDecimal.valueOf(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100));
            case "millennium" -> BigDecimal.valueOf(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000));
            case "week" -> BigDecimal.valueOf(date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case "isoyear" -> BigDecimal.valueOf(date.get(IsoFields.WEEK_BASED_YEAR));
            case "dow" -> BigDecimal.valueOf(date.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : date.getDayOfWeek().getValue());
            case "isodow" -> BigDecimal.valueOf(date.getDayOfWeek().getValue());
            case "doy" -> BigDecimal.valueOf(date.getDayOfYear());
            case "julian" -> BigDecimal.valueOf(date.toEpochDay() + 2_440_588L);
            case "epoch" -> BigDecimal.valueOf(ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), timestamp), 6);
            default -> throw unsupportedUnit(field, "timestamp without time zone");
        };
    }

    public static BigDecimal extractTime(String field, LocalTime time) {
        BigDecimal seconds = BigDecimal.valueOf(time.getSecond() * 1_000_000L + time.getNano() / 1000, 6);
        return switch (unit(field)) {
            case "microseconds" -> seconds.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY);
            case "milliseconds" -> seconds.movePointRight(3).setScale(3, RoundingMode.UNNECESSARY);
            case "second" -> seconds;
            case "minute" -> BigDecimal.valueOf(time.getMinute());
            case "hour" -> BigDecimal.valueOf(time.getHour());
            case "epoch" -> BigDecimal.valueOf(time.toNanoOfDay() / 1000, 6);
            default -> throw unsupportedUnit(field, "time without time zone");
        };
    }

    public static BigDecimal extractInterval(String field, Interval interval) {
        long micros = interval.micros();
        return switch (unit(field)) {
            case "microseconds" -> BigDecimal.valueOf(micros % 60_000_000L);
            case "milliseconds" -> BigDecimal.valueOf(micros % 60_000_000L, 3);
            case "second" -> BigDecimal.valueOf(micros % 60_000_000L, 6);
            case "minute" -> BigDecimal.valueOf(micros / 60_000_000L % 60);
            case "hour" -> BigDecimal.valueOf(micros / 3_600_000_000L);
            case "day" -> BigDecimal.valueOf(interval.days());
            case "month" -> BigDecimal.valueOf(interval.months() % 12);
            case "quarter" -> BigDecimal.valueOf(interval.months() % 12 / 3 + 1);
            case "year" -> BigDecimal.valueOf(interval.months() / 12);
            case "decade" -> BigDecimal.valueOf(interval.months() / 120);
            case "century" -> BigDecimal.valueOf(interval.months() / 1200);
            case "millennium" -> BigDecimal.valueOf(interval.months() / 12000);
            case "epoch" -> BigDecimal.valueOf(micros, 6).add(BigDecimal.valueOf(interval.days() * 86_400L))
                    .add(BigDecimal.valueOf(interval.months() / 12 * 31_557_600L + interval.months() % 12 * 2_592_000L));
            default -> throw unsupportedUnit(field, "interval");
        };
    }

    /** PostgreSQL's spelling of a unit, with its abbreviations and plurals. */
    private static String unit(String field) {
        String unit = field.trim().toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "microsecond", "microseconds", "us", "usec", "usecs", "useconds" -> "microseconds";
            case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds" -> "milliseconds";
            case "second", "seconds", "s", "sec", "secs" -> "second";
            case "minute", "minutes", "m", "min", "mins" -> "minute";
            case "hour", "hours", "h", "hr", "hrs" -> "hour";
            case "day", "days", "d" -> "day";
            case "week", "weeks", "w" -> "week";
            case "month", "months", "mon", "mons" -> "month";
            case "quarter", "qtr" -> "quarter";
            case "year", "years", "y", "yr", "yrs" -> "year";
            case "decade", "decades", "dec", "decs" -> "decade";
            case "century", "centuries", "c", "cent" -> "century";
            case "millennium", "millennia", "mil", "mils" -> "millennium";
            default -> unit;
        };
    }

    private static SluiceException unsupportedUnit(String unit, String type) {
        return SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "unit \"%s\" not recognized for type %s", unit.toLowerCase(Locale.ROOT), type)
                .withHint("Units are microseconds, milliseconds, second, minute, hour, day, week, month, quarter, year, decade, century, "
                        + "millennium (and for date_part also dow, isodow, doy, epoch, isoyear).");
    }

    // ------------------------------------------------------------------ age, justify, construction

    public static Interval age(LocalDateTime later, LocalDateTime earlier) {
        if (later.isBefore(earlier)) {
            return negate(age(earlier, later));
        }
        long months = ChronoUnit.MONTHS.between(earlier, later);
        LocalDateTime start = earlier.plusMonths(months);
        while (start.isAfter(later)) {
            months--;
            start = earlier.plusMonths(months);
        }
        long micros = ChronoUnit.MICROS.between(start, later);
        return new Interval(Math.toIntExact(months), (int) (micros / MICROS_PER_DAY), micros % MICROS_PER_DAY);
    }

    public static Interval ageTimestamptz(Instant later, Instant earlier) {
        return age(LocalDateTime.ofInstant(later, ZoneOffset.UTC), LocalDateTime.ofInstant(earlier, ZoneOffset.UTC));
    }

    public static Interval ageFromToday(DataContext context, LocalDateTime timestamp) {
        return age(localNow(context).toLocalDate().atStartOfDay(), timestamp);
    }

    public static Interval justifyDays(Interval interval) {
        return new Interval(interval.months() + interval.days() / 30, interval.days() % 30, interval.micros());
    }

    public static Interval justifyHours(Interval interval) {
        return new Interval(interval.months(), Math.toIntExact(interval.days() + interval.micros() / MICROS_PER_DAY),
                interval.micros() % MICROS_PER_DAY);
    }

    public static Interval justifyInterval(Interval interval) {
        return justifyDays(justifyHours(interval));
    }

    public static int makeDate(long year, long month, long day) {
        try {
            return (int) LocalDate.of(Math.toIntExact(year), Math.toIntExact(month), Math.toIntExact(day)).toEpochDay();
        } catch (DateTimeException | ArithmeticException e) {
            throw SluiceException.of(ErrorCode.DATETIME_FIELD_OVERFLOW, "date field value out of range: %d-%02d-%02d", year, month, day);
        }
    }

    public static LocalDateTime makeTimestamp(long year, long month, long day, long hour, long minute, double second) {
        try {
            long micros = Math.round(second * 1_000_000);
            return LocalDateTime.of(Math.toIntExact(year), Math.toIntExact(month), Math.toIntExact(day), Math.toIntExact(hour),
                    Math.toIntExact(minute)).plus(micros, ChronoUnit.MICROS);
        } catch (DateTimeException | ArithmeticException e) {
            throw SluiceException.of(ErrorCode.DATETIME_FIELD_OVERFLOW, "date/time field value out of range");
        }
    }

    public static Instant makeTimestamptz(long year, long month, long day, long hour, long minute, double second) {
        return makeTimestamp(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
    }

    public static Instant toTimestampEpoch(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw SluiceException.of(ErrorCode.DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"%s\"", seconds);
        }
        long micros = Math.round(seconds * 1_000_000);
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static Instant toTimestampFormat(String text, String format) {
        return PgFormat.parseTimestamp(text, format).toInstant(ZoneOffset.UTC);
    }

    public static int toDate(String text, String format) {
        return (int) PgFormat.parseTimestamp(text, format).toLocalDate().toEpochDay();
    }

    /** {@code timezone(zone, timestamp)}: the instant when it is {@code timestamp} in {@code zone}. */
    public static Instant timezoneOfTimestamp(String zone, LocalDateTime timestamp) {
        return timestamp.atZone(zone(zone)).toInstant();
    }

    /** {@code timezone(zone, timestamptz)}: the local time in {@code zone}. */
    public static LocalDateTime timezoneOfTimestamptz(String zone, Instant instant) {
        return LocalDateTime.ofInstant(instant, zone(zone));
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name.equalsIgnoreCase("utc") || name.equalsIgnoreCase("gmt") || name.equalsIgnoreCase("z") ? "UTC" : name);
        } catch (DateTimeException e) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", name);
        }
    }

    // ------------------------------------------------------------------ to_char

    public static String toCharTimestamp(LocalDateTime timestamp, String format) {
        return PgFormat.formatTimestamp(timestamp, format, false);
    }

    public static String toCharTimestamptz(Instant instant, String format) {
        return PgFormat.formatTimestamp(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), format, true);
    }

    public static String toCharInterval(Interval interval, String format) {
        return PgFormat.formatInterval(interval, format);
    }

    public static String toCharNumber(BigDecimal number, String format) {
        return PgFormat.formatNumber(number, format);
    }

    public static String toCharDouble(double number, String format) {
        return PgFormat.formatNumber(new BigDecimal(Double.toString(number)), format);
    }
}
