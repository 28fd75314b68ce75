package dev.sluice.kafka.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.format.RowEncoder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reusing encoder writes, message after message, exactly the bytes of a fresh generator. */
class JsonOutputTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", SqlType.BIGINT, false), new Column("name", SqlType.TEXT, true),
            new Column("amount", SqlType.numeric(12, 2), true), new Column("tags", SqlType.list(SqlType.TEXT), true));

    @Test
    void reusingEncoderWritesTheSameBytesAsAFreshGeneratorForEveryMessage() {
        JsonRowEncoder encoder = new JsonRowEncoder(COLUMNS);
        RowEncoder reusing = encoder.reusing();
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(1L, "plain", new BigDecimal("12.30"), List.of("a", "b")));
        rows.add(Row.of(2L, null, null, null));
        rows.add(Row.of(3L, "quote \" backslash \\ newline \n tab \t unicode é ☃ " + "x".repeat(20_000), new BigDecimal("-0.01"), List.of()));
        rows.add(Row.of(4L, "", BigDecimal.ZERO, List.of("")));
        for (Row row : rows) {
            assertThat(new String(reusing.encode(row), StandardCharsets.UTF_8)).isEqualTo(new String(encoder.encode(row), StandardCharsets.UTF_8));
        }
        assertThat(new String(reusing.encode(rows.get(1)), StandardCharsets.UTF_8)).isEqualTo("{\"id\":2,\"name\":null,\"amount\":null,\"tags\":null}");
    }

    @Test
    void valueFailingHalfWayDoesNotCorruptTheNextOne() {
        JsonOutput output = new JsonOutput();
        assertThatThrownBy(() -> output.write(generator -> {
            generator.writeStartObject();
            generator.writeFieldName("half");
            throw new IllegalStateException("encoder failure");
        })).hasMessage("encoder failure");
        byte[] next = output.write(generator -> {
            generator.writeStartArray();
            generator.writeNumber(1);
            generator.writeEndArray();
        });
        assertThat(Arrays.equals(next, "[1]".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
}
