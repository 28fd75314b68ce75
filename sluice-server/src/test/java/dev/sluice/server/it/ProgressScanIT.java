package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.time.Frontier;
import dev.sluice.kafka.progress.ProgressRecord;
import dev.sluice.kafka.progress.ProgressScanner;
import dev.sluice.testing.ExternalKafka;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The check a sink makes before it fences anyone reads open and aborted progress too, and never waits for an open transaction. */
class ProgressScanIT {
    @Test
    void highestWrittenSeesAnOpenTransactionsRecordWithoutWaitingForIt() throws Exception {
        ExternalKafka kafka = ExternalKafka.shared();
        String topic = "progress-scan-" + System.nanoTime();
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "transactional.id",
                topic), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, ProgressRecord.key("u1"), new ProgressRecord(Frontier.at(10), 0).encode()));
            producer.send(new ProducerRecord<>(topic, 0, ProgressRecord.key("u2"), new ProgressRecord(Frontier.at(99), 5).encode()));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, ProgressRecord.key("u1"), new ProgressRecord(Frontier.at(30), 1).encode()));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, ProgressRecord.key("u1"), new ProgressRecord(Frontier.at(20), 0).encode()));
            producer.flush();

            assertThat(ProgressScanner.highestWritten(client, "g", "c", topic, "u1")).as("open and aborted records count")
                    .contains(new ProgressRecord(Frontier.at(30), 1));
            assertThat(ProgressScanner.highestWritten(client, "g", "c", topic, "u3")).isEqualTo(Optional.empty());
            producer.commitTransaction();
        }
        assertThat(ProgressScanner.latest(client, "g", "c", topic, "u1")).as("the resume point is the newest committed")
                .contains(new ProgressRecord(Frontier.at(20), 0));
    }
}
