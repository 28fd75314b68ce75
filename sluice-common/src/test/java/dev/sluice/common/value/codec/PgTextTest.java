package dev.sluice.common.value.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Interval;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class PgTextTest {
    private static void roundTrip(SqlType type, String input, String output) {
        assertThat(PgText.format(type, PgText.parse(type, input))).isEqualTo(output);
    }

    @Test
    void formatsAndParsesEveryTypeAsPostgres() {
        roundTrip(SqlType.BOOLEAN, "TRUE", "t");
        roundTrip(SqlType.BOOLEAN, " off ", "f");
        roundTrip(SqlType.INTEGER, " 42 ", "42");
        roundTrip(SqlType.REAL, "1.5", "1.5");
        roundTrip(SqlType.DOUBLE, "1e20", "1e+20");
        roundTrip(SqlType.DOUBLE, "0.0001", "0.0001");
        roundTrip(SqlType.DOUBLE, "0.00001", "1e-05");
        roundTrip(SqlType.DOUBLE, "NaN", "NaN");
        roundTrip(SqlType.numeric(10, 2), "1.005", "1.01");
        roundTrip(SqlType.BYTEA, "\\x01ff", "\\x01ff");
        roundTrip(SqlType.DATE, "2024-01-31", "2024-01-31");
        roundTrip(SqlType.TIME, "11:11:11.123450", "11:11:11.12345");
        roundTrip(SqlType.TIMESTAMP, "2011-11-11 11:11:11.12345", "2011-11-11 11:11:11.12345");
        roundTrip(SqlType.TIMESTAMPTZ, "2011-11-11T13:11:11+02", "2011-11-11 11:11:11+00");
        // A timestamp without time zone ignores a written zone, and a date takes the date part (as pgJDBC sends them).
        roundTrip(SqlType.TIMESTAMP, "2024-02-29 23:59:58+05", "2024-02-29 23:59:58");
        roundTrip(SqlType.DATE, "2024-02-29 +00", "2024-02-29");
        roundTrip(SqlType.DATE, "2024-02-29 23:59:58-08", "2024-02-29");
        roundTrip(SqlType.INTERVAL, "1 year 2 months 3 days 04:05:06.789", "1 year 2 mons 3 days 04:05:06.789");
        roundTrip(SqlType.INTERVAL, "-1 days +02:00:00", "-1 days +02:00:00");
        roundTrip(SqlType.INTERVAL, "1s", "00:00:01");
        roundTrip(SqlType.INTERVAL, "100ms", "00:00:00.1");
        roundTrip(SqlType.INTERVAL, "100 ms", "00:00:00.1");
        roundTrip(SqlType.INTERVAL, "2h 30m", "02:30:00");
        roundTrip(SqlType.INTERVAL, "5 mins", "00:05:00");
        roundTrip(SqlType.JSONB, "{\"b\": 1, \"aa\": [1, 2.50], \"a\": null}", "{\"a\": null, \"b\": 1, \"aa\": [1, 2.50]}");
        roundTrip(SqlType.UUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        roundTrip(SqlType.UINT8, "18446744073709551615", "18446744073709551615");
        roundTrip(SqlType.map(SqlType.TEXT), "{b=>2, a=>\"x y\"}", "{a=>\"x y\",b=>2}");
        roundTrip(SqlType.array(SqlType.TEXT), "{a,\"b c\",NULL,\"\"}", "{a,\"b c\",NULL,\"\"}");
        roundTrip(SqlType.list(SqlType.INTEGER), "{1,2,3}", "{1,2,3}");
        roundTrip(SqlType.character(4), "ab", "ab  ");
    }

    @Test
    void keepsMicrosecondsOfTimestamps() {
        Object value = PgText.parse(SqlType.TIMESTAMP, "2024-01-01 00:00:00.000001");
        assertThat(value).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000));
        assertThat(PgText.parse(SqlType.withPrecision(TypeKind.TIMESTAMP, 3), "2024-01-01 00:00:00.0006"))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000_000));
    }

    @Test
    void rejectsBadInputWithPostgresMessages() {
        assertThatThrownBy(() -> PgText.parse(SqlType.INTEGER, "abc"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEXT_REPRESENTATION))
                .hasMessage("invalid input syntax for type integer: \"abc\"");
        assertThatThrownBy(() -> PgText.parse(SqlType.SMALLINT, "99999"))
                .hasMessage("value \"99999\" is out of range for type smallint");
        assertThatThrownBy(() -> PgText.parse(SqlType.varchar(3), "abcd"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STRING_DATA_RIGHT_TRUNCATION))
                .hasMessage("value too long for type character varying(3)");
        assertThatThrownBy(() -> PgText.parse(SqlType.numeric(5, 2), "1234.5"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.detail())
                        .contains("A field with precision 5, scale 2 must round to an absolute value less than 10^3."));
        assertThatThrownBy(() -> PgText.parse(SqlType.JSONB, "{"))
                .hasMessage("invalid input syntax for type json: \"{\"");
    }

    @Test
    void binaryRoundTripsCoreTypes() {
        assertThat(PgBinary.decode(SqlType.NUMERIC, PgBinary.encode(SqlType.NUMERIC, new BigDecimal("-12345.6789"))))
                .isEqualTo(new BigDecimal("-12345.6789"));
        assertThat(PgBinary.decode(SqlType.NUMERIC, PgBinary.encode(SqlType.NUMERIC, new BigDecimal("0.00"))))
                .isEqualTo(new BigDecimal("0.00"));
        Interval interval = new Interval(14, 3, 5_000_000);
        assertThat(PgBinary.decode(SqlType.INTERVAL, PgBinary.encode(SqlType.INTERVAL, interval))).isEqualTo(interval);
        Object array = PgText.parse(SqlType.array(SqlType.INTEGER), "{1,NULL,3}");
        assertThat(PgBinary.decode(SqlType.array(SqlType.INTEGER), PgBinary.encode(SqlType.array(SqlType.INTEGER), array))).isEqualTo(array);
    }
}
