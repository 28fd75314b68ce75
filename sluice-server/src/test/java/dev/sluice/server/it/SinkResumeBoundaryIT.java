package dev.sluice.server.it;

import static dev.sluice.server.it.ScriptedSinkInput.data;
import static dev.sluice.server.it.ScriptedSinkInput.idle;
import static dev.sluice.server.it.ScriptedSinkInput.idleUntilHeld;
import static dev.sluice.server.it.ScriptedSinkInput.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.sink.KafkaSink;
import dev.sluice.kafka.sink.KafkaSinkDescription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The frontier boundaries of reference §4.5 and §4.6, driven by a scripted input so that every
 * timestamp is exact: updates below the resume upper are dropped, updates AT the resume upper are
 * written once, a restart neither re-reads the snapshot nor opens the input below {@code resume - 1},
 * a frontier equal to {@code as_of} commits nothing, and the read hold follows only committed frontiers.
 */
class SinkResumeBoundaryIT {
    /** Runs the sink until its progress reaches {@code frontier} (or 60 s pass), then stops it. */
    private static void runUntil(KafkaSinkDescription description, ScriptedSinkInput input, long frontier) throws Exception {
        KafkaSink sink = new KafkaSink(description, input, (sinkId, status, error, hints) -> { }, Duration.ofMillis(200));
        sink.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (frontiers(description.progressTopic()).stream().noneMatch(committed -> committed >= frontier) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            sink.close();
        }
    }

    private static List<Long> frontiers(String progressTopic) {
        List<Long> frontiers = new ArrayList<>();
        for (SinkTestKit.Record record : SinkTestKit.readCommitted(progressTopic)) {
            if ("mz-sink-u1".equals(record.keyText())) {
                String value = record.valueText();
                frontiers.add(Long.parseLong(value.substring(value.indexOf('[') + 1, value.indexOf(']'))));
            }
        }
        return frontiers;
    }

    private static List<String> keysWithTimes(String topic) {
        return SinkTestKit.readCommitted(topic).stream().map(record -> record.keyText() + "@" + record.timestamp()).toList();
    }

    @Test
    void aNewSinkCommitsItsSnapshotWithTheFirstFrontierBeyondAsOfAndNothingAtAsOf() throws Exception {
        String name = SinkTestKit.unique("boundary_new");
        long asOf = 1_000;
        ScriptedSinkInput input = new ScriptedSinkInput(900, List.of(List.of(data(1, asOf), data(2, asOf), progress(asOf), idle(),
                progress(asOf + 1), idleUntilHeld(asOf + 1), data(3, asOf + 1), data(4, asOf + 5), progress(asOf + 6))));
        runUntil(ScriptedSinkInput.description(name, asOf), input, asOf + 6);

        assertThat(input.opened).as("a new sink reads its snapshot as of as_of").first().isEqualTo(new ScriptedSinkInput.Opened(asOf, true));
        assertThat(frontiers(name + "_progress")).as("no progress record at as_of itself").containsExactly(asOf + 1, asOf + 6);
        assertThat(keysWithTimes(name)).containsExactly("{\"k\":1}@1000", "{\"k\":2}@1000", "{\"k\":3}@1001", "{\"k\":4}@1005");
        assertThat(input.holds).as("the hold follows committed frontiers only").containsExactly(asOf + 1, asOf + 6);
    }

    @Test
    void aRestartDropsUpdatesBelowTheResumeUpperAndWritesTheOneAtItOnce() throws Exception {
        String name = SinkTestKit.unique("boundary_resume");
        long asOf = 1_000;
        long resume = 2_000;
        try (Admin admin = SinkTestKit.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1), new NewTopic(name + "_progress", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", SinkTestKit.bootstrap());
        properties.put("transactional.id", "boundary-previous-incarnation-" + name);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(name + "_progress", 0, "mz-sink-u1".getBytes(StandardCharsets.UTF_8),
                    ("{\"frontier\":[" + resume + "],\"version\":0}").getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        }
        ScriptedSinkInput input = new ScriptedSinkInput(1_500, List.of(List.of(data(1, resume - 1), data(2, resume), progress(resume), idle(),
                data(3, resume + 1), progress(resume + 2))));
        runUntil(ScriptedSinkInput.description(name, asOf), input, resume + 2);

        assertThat(input.opened).as("a resumed sink reads changes after resume - 1, without the snapshot").first()
                .isEqualTo(new ScriptedSinkInput.Opened(resume - 1, false));
        assertThat(keysWithTimes(name)).containsExactly("{\"k\":2}@2000", "{\"k\":3}@2001");
        assertThat(frontiers(name + "_progress")).containsExactly(resume, resume + 2);
        assertThat(input.holds).containsExactly(resume + 2);
    }
}
