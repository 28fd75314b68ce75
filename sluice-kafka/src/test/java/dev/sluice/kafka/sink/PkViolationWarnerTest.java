package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repeated-key warning is written at most once per ten seconds, and counts what it held back. */
class PkViolationWarnerTest {
    private long now = 1_000;

    @Test
    void warnsOncePerIntervalAndCountsTheRest() {
        List<String> lines = new ArrayList<>();
        PkViolationWarner warner = new PkViolationWarner(lines::add, () -> now);
        warner.repeatedKey();
        assertThat(lines).containsExactly(PkViolationWarner.MESSAGE);
        now += PkViolationWarner.INTERVAL_NANOS - 1;
        warner.repeatedKey();
        warner.repeatedKey();
        assertThat(lines).hasSize(1);
        now += 1;
        warner.repeatedKey();
        assertThat(lines).containsExactly(PkViolationWarner.MESSAGE, PkViolationWarner.MESSAGE + " (2 more since the last warning)");
        now += PkViolationWarner.INTERVAL_NANOS;
        warner.repeatedKey();
        assertThat(lines.get(2)).isEqualTo(PkViolationWarner.MESSAGE);
    }
}
