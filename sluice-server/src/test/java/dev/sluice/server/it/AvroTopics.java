package dev.sluice.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an Avro sink's topic as a consumer would: read_committed, Confluent framing checked, each
 * schema fetched from the registry by the id in the message, the datum decoded by Apache Avro's
 * {@link GenericDatumReader} with its logical-type conversions.
 */
final class AvroTopics {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
        MODEL.addLogicalTypeConversion(new Conversions.UUIDConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    /** One message: raw bytes, and the decoded key and value (null for a Kafka null). */
    record Message(int partition, long offset, byte[] key, byte[] value, Map<String, String> headers, GenericRecord decodedKey,
            GenericRecord decodedValue) {
        int keySchemaId() {
            return schemaId(key);
        }

        int valueSchemaId() {
            return schemaId(value);
        }

        String keyJson() {
            return decodedKey == null ? null : json(decodedKey);
        }

        String valueJson() {
            return decodedValue == null ? null : json(decodedValue);
        }
    }

    private AvroTopics() {
    }

    static int schemaId(byte[] framed) {
        if (framed[0] != 0) {
            throw new AssertionError("magic byte is " + framed[0]);
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** Messages as they are now, keys and values decoded; throws while the topic does not exist. */
    static List<Message> readCommitted(String bootstrap, String registryUrl, String topic) {
        return readCommitted(bootstrap, registryUrl, topic, true, true);
    }

    /** Messages as they are now, decoding keys and values only where they are Avro. */
    static List<Message> readCommitted(String bootstrap, String registryUrl, String topic, boolean avroKey, boolean avroValue) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("isolation.level", "read_committed");
        properties.put("allow.auto.create.topics", false);
        properties.put("enable.auto.commit", false);
        Map<Integer, Schema> schemas = new HashMap<>();
        List<Message> messages = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("no topic " + topic);
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                    }
                    messages.add(new Message(record.partition(), record.offset(), record.key(), record.value(), headers,
                            avroKey ? decode(registryUrl, schemas, record.key()) : null,
                            avroValue ? decode(registryUrl, schemas, record.value()) : null));
                }
            }
        }
        return messages;
    }

    /** Waits up to a minute for {@code done}; returns what was read last. */
    static List<Message> await(String bootstrap, String registryUrl, String topic, Predicate<List<Message>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<Message> messages = List.of();
        while (System.currentTimeMillis() < deadline) {
            try {
                messages = readCommitted(bootstrap, registryUrl, topic);
                if (done.test(messages)) {
                    return messages;
                }
            } catch (RuntimeException notThereYet) {
                // The sink creates the topic when it starts.
            }
            Thread.sleep(200);
        }
        return messages;
    }

    private static GenericRecord decode(String registryUrl, Map<Integer, Schema> schemas, byte[] framed) {
        if (framed == null) {
            return null;
        }
        Schema schema = schemas.computeIfAbsent(schemaId(framed), id -> new Schema.Parser().parse(schemaById(registryUrl, id)));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null);
        try {
            GenericRecord record = new GenericDatumReader<GenericRecord>(schema, schema, MODEL).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new AssertionError("bytes left after the datum");
            }
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Avro's JSON encoding (union branches named, e.g. {@code {"after":{"row":{…}}}}), as the reference renders messages. */
    static String json(GenericRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), bytes);
            new GenericDatumWriter<GenericRecord>(record.getSchema(), MODEL).write(record, encoder);
            encoder.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + response.statusCode() + " " + response.body());
        }
        return parse(response.body());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String schemaById(String registryUrl, int id) {
        return get(registryUrl + "/schemas/ids/" + id).get("schema").asText();
    }

    /** The latest registered version of a subject: {@code id} and {@code schema}. */
    static JsonNode latest(String registryUrl, String subject) {
        return get(registryUrl + "/subjects/" + subject + "/versions/latest");
    }

    /** {@code PUT /config/{subject}} or a registration, as another producer would do them. */
    static HttpResponse<String> sendJson(String method, String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The subject's own compatibility level, or the HTTP status and body when it has none. */
    static String subjectCompatibility(String registryUrl, String subject) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(registryUrl + "/config/" + subject)).GET().build());
        return response.statusCode() == 200 ? parse(response.body()).path("compatibilityLevel").asText() : response.statusCode() + " " + response.body();
    }
}
