package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    static final RelationDesc KEYED = new RelationDesc(
            List.of(new Column("id", SqlType.INTEGER, false), new Column("name", SqlType.TEXT, true)), List.of(List.of(0)));
    static final RelationDesc PLAIN = RelationDesc.of(List.of(new Column("value", SqlType.TEXT, true)));

    @TempDir
    Path directory;
    ManualClock clock = new ManualClock(1_000_000);
    Storage storage;

    StorageOptions options() {
        return StorageOptions.defaults().withClock(clock).withTickInterval(Duration.ofMillis(10)).withFsync(false);
    }

    @BeforeEach
    void open() {
        storage = Storage.open(directory, options());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    void reopen() {
        storage.close();
        storage = Storage.open(directory, options());
    }

    static Map<Row, Long> contents(Storage storage, String id, long asOf) {
        Map<Row, Long> rows = new HashMap<>();
        try (SnapshotCursor cursor = storage.snapshot(id, asOf)) {
            while (cursor.hasNext()) {
                RowCount row = cursor.next();
                assertThat(rows.put(row.row(), row.count())).as("each row once").isNull();
            }
        }
        return rows;
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            Thread.sleep(5);
        }
    }

    long createKeyed(String id) {
        return storage.commit(new WriteBatch().create(id, KEYED));
    }

    @Test
    void commitsGetStrictlyIncreasingTimestampsAndUpperFollowsTheLast() {
        long created = createKeyed("t");
        long first = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        long second = storage.commit(new WriteBatch().add("t", Row.of(2, "b"), 1));
        assertThat(created).isGreaterThanOrEqualTo(1_000_000);
        assertThat(first).isGreaterThan(created);
        assertThat(second).isGreaterThan(first);
        assertThat(storage.upper()).isEqualTo(second + 1);
        assertThat(storage.collections()).containsExactly("t");
        assertThat(storage.desc("t")).isEqualTo(KEYED);
    }

    @Test
    void timestampsFollowTheClockWhenItIsAhead() {
        createKeyed("t");
        clock.advance(60_000);
        long time = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        assertThat(time).isEqualTo(clock.millis());
    }

    @Test
    void snapshotConsolidatesUpdatesWithMultiplicities() {
        storage.commit(new WriteBatch().create("p", PLAIN).add("p", Row.of("x"), 2).add("p", Row.of("y"), 1));
        long time = storage.commit(new WriteBatch().add("p", Row.of("x"), -1).add("p", Row.of("y"), -1).add("p", Row.of("z"), 3));
        assertThat(contents(storage, "p", time)).containsExactlyInAnyOrderEntriesOf(Map.of(Row.of("x"), 1L, Row.of("z"), 3L));
    }

    @Test
    void batchCreatesDropsAndWritesAtOneTimestamp() {
        long first = storage.commit(new WriteBatch().create("a", PLAIN).add("a", Row.of("1"), 1));
        long second = storage.commit(new WriteBatch().drop("a").create("b", PLAIN).add("b", Row.of("2"), 1));
        assertThat(storage.collections()).containsExactly("b");
        assertThat(storage.since("b")).isEqualTo(second);
        assertThat(contents(storage, "b", second)).containsOnlyKeys(Row.of("2"));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void invalidBatchesFailWithoutEffect() {
        createKeyed("t");
        long upper = storage.upper();
        assertThatThrownBy(() -> storage.commit(new WriteBatch().add("missing", Row.of(1, "a"), 1)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> storage.commit(new WriteBatch().create("t", KEYED)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThatThrownBy(() -> storage.commit(new WriteBatch().add("t", Row.of(1), 1)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThatThrownBy(() -> storage.commit(new WriteBatch().add("t", Row.of(1, new Object()), 1)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThat(storage.upper()).isEqualTo(upper);
        assertThat(contents(storage, "t", upper - 1)).isEmpty();
    }

    @Test
    void unknownCollectionIsAnInternalError() {
        for (Runnable call : List.<Runnable>of(() -> storage.desc("nope"), () -> storage.since("nope"), () -> storage.snapshot("nope", 0),
                () -> storage.subscribe("nope", 0), () -> storage.acquireHold("h", "nope", 0),
                () -> storage.lookupByKey("nope", Row.of(1)))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasMessageContaining("\"nope\"");
        }
    }

    @Test
    void concurrentCommitsEachGetTheirOwnTimestamp() throws Exception {
        createKeyed("t");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = i;
                futures.add(pool.submit(() -> storage.commit(new WriteBatch().add("t", Row.of(id, "v" + id), 1))));
            }
            Set<Long> times = ConcurrentHashMap.newKeySet();
            for (Future<Long> future : futures) {
                assertThat(times.add(future.get())).isTrue();
            }
            assertThat(contents(storage, "t", storage.upper() - 1)).hasSize(400);
            assertThat(storage.upper()).isEqualTo(times.stream().mapToLong(Long::longValue).max().orElseThrow() + 1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void withoutHoldsSinceFollowsUpperAndOldTimesBecomeUnreadable() throws InterruptedException {
        createKeyed("t");
        long first = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        storage.commit(new WriteBatch().add("t", Row.of(1, "a"), -1).add("t", Row.of(1, "b"), 1));
        eventually(() -> storage.since("t") == storage.upper() - 1);
        assertThatThrownBy(() -> storage.snapshot("t", first))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThat(contents(storage, "t", storage.upper() - 1)).containsOnlyKeys(Row.of(1, "b"));
        assertThatThrownBy(() -> storage.snapshot("t", storage.upper()))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
    }

    @Test
    void pinnedReadTimeStaysReadableUntilThePinIsClosed() throws InterruptedException {
        createKeyed("t");
        storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        ReadPin pin = storage.pinLatestReadTime();
        assertThat(pin.time()).isEqualTo(storage.upper() - 1);
        storage.commit(new WriteBatch().add("t", Row.of(1, "a"), -1).add("t", Row.of(1, "b"), 1));
        clock.advance(5_000);
        long later = storage.upper();
        eventually(() -> storage.upper() > later);
        Thread.sleep(50);
        assertThat(storage.since("t")).isLessThanOrEqualTo(pin.time());
        assertThat(contents(storage, "t", pin.time())).containsOnlyKeys(Row.of(1, "a"));
        pin.close();
        pin.close();
        eventually(() -> storage.since("t") > pin.time());
        assertThatThrownBy(() -> storage.snapshot("t", pin.time()))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
    }

    @Test
    void openSnapshotKeepsItsViewWhileCommitsAndCompactionProceed() throws InterruptedException {
        createKeyed("t");
        WriteBatch initial = new WriteBatch();
        for (int i = 0; i < 1000; i++) {
            initial.add("t", Row.of(i, "old"), 1);
        }
        long asOf = storage.commit(initial);
        try (SnapshotCursor cursor = storage.snapshot("t", asOf)) {
            List<RowCount> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                seen.add(cursor.next());
            }
            for (int round = 0; round < 5; round++) {
                WriteBatch change = new WriteBatch();
                for (int i = 0; i < 1000; i += 2) {
                    change.add("t", Row.of(i, round == 0 ? "old" : "new" + (round - 1)), -1).add("t", Row.of(i, "new" + round), 1);
                }
                change.add("t", Row.of(5000 + round, "added"), 1);
                storage.commit(change);
            }
            clock.advance(10_000);
            eventually(() -> storage.upper() > clock.millis() - 1);
            Thread.sleep(50);
            assertThat(storage.since("t")).isEqualTo(asOf);
            cursor.forEachRemaining(seen::add);
            assertThat(seen).hasSize(1000).allSatisfy(row -> {
                assertThat(row.row().get(1)).isEqualTo("old");
                assertThat(row.count()).isEqualTo(1);
            });
        }
        eventually(() -> storage.since("t") == storage.upper() - 1);
        Map<Row, Long> latest = contents(storage, "t", storage.upper() - 1);
        assertThat(latest).hasSize(1005).containsKey(Row.of(0, "new4")).containsKey(Row.of(1, "old"));
    }

    @Test
    void subscriptionDeliversEachTimestampInOrderThenProgress() throws InterruptedException {
        long created = storage.commit(new WriteBatch().create("p", PLAIN));
        try (Subscription subscription = storage.subscribe("p", created)) {
            long first = storage.commit(new WriteBatch().add("p", Row.of("a"), 1).add("p", Row.of("b"), 1));
            long second = storage.commit(new WriteBatch().add("p", Row.of("a"), -1));
            SubscriptionEvent event = subscription.poll(Duration.ofSeconds(5));
            assertThat(event).isEqualTo(new SubscriptionEvent.Updates(first,
                    List.of(new Update(Row.of("a"), first, 1), new Update(Row.of("b"), first, 1))));
            assertThat(subscription.poll(Duration.ofSeconds(5)))
                    .isEqualTo(new SubscriptionEvent.Updates(second, List.of(new Update(Row.of("a"), second, -1))));
            assertThat(subscription.poll(Duration.ofSeconds(5))).isEqualTo(new SubscriptionEvent.Progress(second + 1));
            assertThat(subscription.poll(Duration.ofMillis(30))).isNull();
            clock.advance(5_000);
            assertThat(subscription.poll(Duration.ofSeconds(5))).isEqualTo(new SubscriptionEvent.Progress(clock.millis()));
        }
    }

    @Test
    void subscriptionStartsStrictlyAfterItsTimeAndHoldsSince() throws InterruptedException {
        storage.commit(new WriteBatch().create("p", PLAIN));
        long first = storage.commit(new WriteBatch().add("p", Row.of("a"), 1));
        long second = storage.commit(new WriteBatch().add("p", Row.of("b"), 1));
        try (Subscription subscription = storage.subscribe("p", first)) {
            storage.commit(new WriteBatch().add("p", Row.of("c"), 1));
            clock.advance(1_000);
            eventually(() -> storage.upper() >= clock.millis());
            Thread.sleep(50);
            assertThat(storage.since("p")).isEqualTo(first);
            SubscriptionEvent event = subscription.poll(Duration.ofSeconds(5));
            assertThat(event).isInstanceOfSatisfying(SubscriptionEvent.Updates.class, updates -> assertThat(updates.time()).isEqualTo(second));
        }
        eventually(() -> storage.since("p") == storage.upper() - 1);
    }

    @Test
    void subscriptionToDroppedCollectionFails() throws InterruptedException {
        long created = storage.commit(new WriteBatch().create("p", PLAIN));
        try (Subscription subscription = storage.subscribe("p", created)) {
            storage.commit(new WriteBatch().drop("p"));
            assertThatThrownBy(() -> subscription.poll(Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_TABLE));
        }
    }

    @Test
    void holdKeepsHistoryReadableAndSurvivesRestart() throws InterruptedException {
        createKeyed("t");
        long first = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        ReadHold hold = storage.acquireHold("sink-1", "t", first);
        long second = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), -1).add("t", Row.of(1, "b"), 1));
        clock.advance(1_000);
        eventually(() -> storage.upper() >= clock.millis());
        Thread.sleep(50);
        assertThat(storage.since("t")).isEqualTo(first);
        assertThat(contents(storage, "t", first)).containsOnlyKeys(Row.of(1, "a"));

        reopen();
        assertThat(storage.hold("sink-1", "t")).hasValueSatisfying(restored -> assertThat(restored.time()).isEqualTo(first));
        assertThat(storage.hold("sink-1")).isPresent();
        assertThat(storage.since("t")).isLessThanOrEqualTo(first);
        assertThat(contents(storage, "t", first)).containsOnlyKeys(Row.of(1, "a"));
        assertThat(contents(storage, "t", second)).containsOnlyKeys(Row.of(1, "b"));
        try (Subscription subscription = storage.subscribe("t", first)) {
            assertThat(subscription.poll(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(SubscriptionEvent.Updates.class, updates -> assertThat(updates.time()).isEqualTo(second));
        }

        ReadHold restored = storage.hold("sink-1", "t").orElseThrow();
        restored.downgrade(first - 5);
        assertThat(restored.time()).isEqualTo(first);
        restored.downgrade(second);
        eventually(() -> storage.since("t") == second);
        reopen();
        assertThat(storage.hold("sink-1", "t").orElseThrow().time()).isEqualTo(second);

        ReadHold released = storage.hold("sink-1", "t").orElseThrow();
        released.release();
        released.release();
        assertThat(released.time()).isEqualTo(-1);
        assertThat(storage.hold("sink-1", "t")).isEmpty();
        eventually(() -> storage.since("t") == storage.upper() - 1);
        reopen();
        assertThat(storage.hold("sink-1", "t")).isEmpty();
        assertThat(hold.name()).isEqualTo("sink-1");
    }

    @Test
    void holdCannotStartBeforeSince() throws InterruptedException {
        createKeyed("t");
        long first = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        storage.commit(new WriteBatch().add("t", Row.of(2, "a"), 1));
        eventually(() -> storage.since("t") > first);
        assertThatThrownBy(() -> storage.acquireHold("h", "t", first))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
    }

    @Test
    void droppingACollectionDropsItsHolds() {
        long created = createKeyed("t");
        storage.acquireHold("h", "t", created);
        storage.commit(new WriteBatch().drop("t"));
        assertThat(storage.hold("h", "t")).isEmpty();
        storage.commit(new WriteBatch().create("t", KEYED));
        reopen();
        assertThat(storage.hold("h", "t")).isEmpty();
        assertThat(storage.collections()).containsExactly("t");
    }

    @Test
    void lookupByKeyFindsTheLatestRowOfAKey() {
        createKeyed("t");
        storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1).add("t", Row.of(2, "b"), 1));
        assertThat(storage.lookupByKey("t", Row.of(1))).contains(Row.of(1, "a"));
        storage.commit(new WriteBatch().add("t", Row.of(1, "c"), 1).add("t", Row.of(1, "a"), -1));
        assertThat(storage.lookupByKey("t", Row.of(1))).contains(Row.of(1, "c"));
        storage.commit(new WriteBatch().add("t", Row.of(2, "b"), -1));
        assertThat(storage.lookupByKey("t", Row.of(2))).isEmpty();
        assertThat(storage.lookupByKey("t", Row.of(3))).isEmpty();
        reopen();
        assertThat(storage.lookupByKey("t", Row.of(1))).contains(Row.of(1, "c"));
        assertThat(storage.lookupByKey("t", Row.of(2))).isEmpty();
        storage.commit(new WriteBatch().create("p", PLAIN));
        assertThatThrownBy(() -> storage.lookupByKey("p", Row.of("x")))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
    }

    @Test
    void idleTickAdvancesUpperToTheClockDurably() throws InterruptedException {
        createKeyed("t");
        clock.advance(120_000);
        long target = clock.millis();
        eventually(() -> storage.upper() == target);
        clock.set(0);
        reopen();
        assertThat(storage.upper()).isGreaterThanOrEqualTo(target);
        long time = storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1));
        assertThat(time).isGreaterThanOrEqualTo(target);
    }

    @Test
    void closedStorageRefusesWork() {
        createKeyed("t");
        storage.close();
        assertThatThrownBy(() -> storage.commit(new WriteBatch().add("t", Row.of(1, "a"), 1)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ADMIN_SHUTDOWN));
        storage = Storage.open(directory, options());
    }
}
