package dev.sluice.kafka.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.time.Update;
import dev.sluice.common.value.Row;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Diff pairing of one timestamp (reference §8.1). */
class DiffPairsTest {
    private static List<DiffPairs.Pair> pairByFirstColumn(Update... updates) {
        return DiffPairs.pair(List.of(updates), row -> row.get(0));
    }

    private static DiffPairs.Pair pair(Row before, Row after) {
        return new DiffPairs.Pair(Optional.ofNullable(before), Optional.ofNullable(after));
    }

    @Test
    void retractionAndInsertionOfOneKeyBecomeOneUpdate() {
        assertThat(pairByFirstColumn(new Update(Row.of(1, "a"), 5, -1), new Update(Row.of(1, "b"), 5, 1)))
                .containsExactly(pair(Row.of(1, "a"), Row.of(1, "b")));
    }

    @Test
    void netZeroChangesDisappear() {
        assertThat(pairByFirstColumn(new Update(Row.of(1, "a"), 5, 1), new Update(Row.of(1, "a"), 5, -1))).isEmpty();
    }

    @Test
    void multiplicityExpandsIntoThatManyMessages() {
        assertThat(pairByFirstColumn(new Update(Row.of(1, "a"), 5, 3))).containsExactly(pair(null, Row.of(1, "a")), pair(null, Row.of(1, "a")),
                pair(null, Row.of(1, "a")));
        assertThat(pairByFirstColumn(new Update(Row.of(1, "a"), 5, 2), new Update(Row.of(1, "a"), 5, 1))).hasSize(3);
    }

    @Test
    void negativeMultiplicityOfANeverInsertedRowGivesBeforeOnlyMessages() {
        assertThat(pairByFirstColumn(new Update(Row.of(7, "x"), 5, -2))).containsExactly(pair(Row.of(7, "x"), null), pair(Row.of(7, "x"), null));
    }

    @Test
    void leftoversStandAloneAfterOneToOnePairing() {
        List<DiffPairs.Pair> pairs = pairByFirstColumn(new Update(Row.of(1, "a"), 5, -1), new Update(Row.of(1, "b"), 5, 1),
                new Update(Row.of(1, "c"), 5, 1), new Update(Row.of(2, "z"), 5, -1));
        assertThat(pairs).containsExactlyInAnyOrder(pair(Row.of(1, "a"), Row.of(1, "b")), pair(null, Row.of(1, "c")), pair(Row.of(2, "z"), null));
    }

    @Test
    void withTheWholeRowAsKeyEveryChangeStandsAlone() {
        List<DiffPairs.Pair> pairs = DiffPairs.pair(List.of(new Update(Row.of(3), 5, -1), new Update(Row.of(4), 5, 1)), row -> row);
        assertThat(pairs).containsExactlyInAnyOrder(pair(Row.of(3), null), pair(null, Row.of(4)));
    }

    @Test
    void aKeyWithMoreThanOnePairAtOneTimeIsReportedAndEveryPairKept() {
        AtomicInteger repeated = new AtomicInteger();
        List<DiffPairs.Pair> pairs = DiffPairs.pair(List.of(new Update(Row.of(1, "a"), 5, 1), new Update(Row.of(1, "b"), 5, 1),
                new Update(Row.of(2, "c"), 5, 1)), row -> row.get(0), repeated::incrementAndGet);
        assertThat(pairs).containsExactlyInAnyOrder(pair(null, Row.of(1, "a")), pair(null, Row.of(1, "b")), pair(null, Row.of(2, "c")));
        assertThat(repeated).as("reported once per time").hasValue(1);

        DiffPairs.pair(List.of(new Update(Row.of(1, "a"), 5, -1), new Update(Row.of(1, "b"), 5, 1), new Update(Row.of(2, "c"), 5, 2)),
                row -> row.get(0), repeated::incrementAndGet);
        assertThat(repeated).as("a multiplicity of 2 is two messages for one key").hasValue(2);

        DiffPairs.pair(List.of(new Update(Row.of(1, "a"), 5, -1), new Update(Row.of(1, "b"), 5, 1), new Update(Row.of(2, "c"), 5, 1)),
                row -> row.get(0), repeated::incrementAndGet);
        assertThat(repeated).as("an update is one pair").hasValue(2);
    }
}
