package dev.sluice.kafka.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.time.Frontier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress record's bytes and the parsing rules of reference §4.3. */
class ProgressRecordTest {
    private static ProgressRecord parse(String value) {
        return ProgressRecord.parse(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesFrontierThenVersionCompactly() {
        assertThat(new String(new ProgressRecord(Frontier.at(1714000000123L), 0).encode(), StandardCharsets.UTF_8))
                .isEqualTo("{\"frontier\":[1714000000123],\"version\":0}");
        assertThat(new String(new ProgressRecord(Frontier.EMPTY, 3).encode(), StandardCharsets.UTF_8)).isEqualTo("{\"frontier\":[],\"version\":3}");
        assertThat(new String(ProgressRecord.key("u7"), StandardCharsets.UTF_8)).isEqualTo("mz-sink-u7");
    }

    @Test
    void parsesCurrentRecords() {
        assertThat(parse("{\"frontier\":[101],\"version\":2}")).isEqualTo(new ProgressRecord(Frontier.at(101), 2));
        assertThat(parse("{\"frontier\":[],\"version\":42}")).isEqualTo(new ProgressRecord(Frontier.EMPTY, 42));
        assertThat(parse("{\"frontier\":[18446744073709551615],\"version\":0}").frontier().get()).isEqualTo(-1L);
    }

    @Test
    void missingVersionIsVersionZero() {
        assertThat(parse("{\"frontier\":[5]}")).isEqualTo(new ProgressRecord(Frontier.at(5), 0));
    }

    @Test
    void legacyTimestampRecordsAreTheLargestCommittedTime() {
        assertThat(parse("{\"timestamp\":100}")).isEqualTo(new ProgressRecord(Frontier.at(101), 0));
        assertThat(parse("{\"timestamp\":null}")).isEqualTo(new ProgressRecord(Frontier.EMPTY, 0));
    }

    @Test
    void malformedRecordsAreErrorsQuotingThePayload() {
        assertThatThrownBy(() -> parse("{\"frontier\":null}")).hasMessage("invalid progress record: {\"frontier\":null}");
        assertThatThrownBy(() -> parse("{}")).hasMessage("invalid progress record: {}");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("invalid progress record: [1]");
        assertThatThrownBy(() -> parse("{\"frontier\":[\"x\"],\"version\":0}")).hasMessageStartingWith("invalid progress record");
        assertThatThrownBy(() -> parse("{\"frontier\":[1],\"version\":\"one\"}")).hasMessageStartingWith("invalid progress record");
        assertThatThrownBy(() -> parse("not json")).hasMessage("invalid progress record bytes: not json");
    }

    @Test
    void scanStartsAtTheSmallestSuffixFirstThenTheLowWaterMark() {
        assertThat(ProgressScanner.startOffsets(0, 100)).containsExactly(0L);
        assertThat(ProgressScanner.startOffsets(0, 2_000_000)).containsExactly(1_980_000L, 1_800_000L, 0L);
        assertThat(ProgressScanner.startOffsets(500, 300_500)).containsExactly(270_500L, 500L);
    }
}
