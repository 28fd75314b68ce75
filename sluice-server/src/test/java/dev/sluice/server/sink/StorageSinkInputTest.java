package dev.sluice.server.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.sink.SinkInput;
import dev.sluice.storage.Storage;
import dev.sluice.storage.StorageOptions;
import dev.sluice.storage.WriteBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table read as a sink's input: after each time it delivers, it says how far the input is complete, as
 * {@code Behind} while more is already waiting and as {@code Progress} once it has caught up.
 */
class StorageSinkInputTest {
    @TempDir
    Path directory;

    @Test
    void eachDeliveredTimeIsFollowedByItsFrontierBehindUntilCaughtUp() throws Exception {
        try (Storage storage = Storage.open(directory, StorageOptions.defaults().withFsync(false)
                // A clock that stands still: ticks never move the upper, so every frontier below comes from a commit.
                .withClock(Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC)))) {
            long created = storage.commit(new WriteBatch().create("t", RelationDesc.of(List.of(new Column("v", SqlType.INTEGER, true)))));
            long asOf = storage.upper() - 1;
            StorageSinkInput input = new StorageSinkInput(storage, "t", storage.acquireHold("test", "t", created));
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                times.add(storage.commit(new WriteBatch().add("t", Row.of(i), 1)));
            }
            try (SinkInput.Cursor cursor = input.open(asOf, false)) {
                List<SinkInput.Event> events = new ArrayList<>();
                for (SinkInput.Event event = cursor.poll(Duration.ofSeconds(5)); event != null; event = cursor.poll(Duration.ZERO)) {
                    events.add(event);
                }
                assertThat(events).containsExactly(
                        new SinkInput.Event.Data(List.of(new Update(Row.of(0), times.get(0), 1))),
                        new SinkInput.Event.Behind(times.get(0) + 1),
                        new SinkInput.Event.Data(List.of(new Update(Row.of(1), times.get(1), 1))),
                        new SinkInput.Event.Behind(times.get(1) + 1),
                        new SinkInput.Event.Data(List.of(new Update(Row.of(2), times.get(2), 1))),
                        new SinkInput.Event.Progress(storage.upper()));
                long next = storage.commit(new WriteBatch().add("t", Row.of(3), 1));
                assertThat(cursor.poll(Duration.ofSeconds(5))).isEqualTo(new SinkInput.Event.Data(List.of(new Update(Row.of(3), next, 1))));
                assertThat(cursor.poll(Duration.ZERO)).isEqualTo(new SinkInput.Event.Progress(storage.upper()));
            }
        }
    }
}
