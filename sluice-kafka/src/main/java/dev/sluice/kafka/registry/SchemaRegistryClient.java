package dev.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The sink side of the Confluent Schema Registry REST API (java.net.http): subjects, subject-level
 * compatibility ({@code GET/PUT /config/{subject}}) and registration ({@code POST
 * /subjects/{subject}/versions}). HTTP basic auth when the connection has a {@code USERNAME}; TLS
 * from the connection's PEM options. Every failure is a {@link SchemaRegistryException} with its
 * class. Thread-safe.
 */
public final class SchemaRegistryClient {
    /** The registry's code for "subject not found". */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** The registry's code for "subject has no subject-level compatibility". */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final SchemaRegistrySpec spec;
    private final HttpClient http;
    private final Duration requestTimeout;

    public SchemaRegistryClient(SchemaRegistrySpec spec, Duration timeout) {
        this.spec = requireNonNull(spec, "spec is null");
        this.requestTimeout = requireNonNull(timeout, "timeout is null");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        PemTls.context(spec).ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    public String url() {
        return spec.url();
    }

    /** {@code GET /subjects}: also the connection's validation. */
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", Optional.empty());
        List<String> subjects = new ArrayList<>();
        answer.forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    /** The subject's own compatibility level; empty when it has none or the subject does not exist yet. */
    public Optional<String> subjectCompatibility(String subject) {
        try {
            JsonNode answer = send("GET", "/config/" + segment(subject), Optional.empty());
            JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
            return level == null || level.isNull() ? Optional.empty() : Optional.of(level.asText());
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED || e.errorCode() == SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code PUT /config/{subject}} with {@code {"compatibility": level}}. */
    public void setSubjectCompatibility(String subject, String level) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("compatibility", level);
        send("PUT", "/config/" + segment(subject), Optional.of(body));
    }

    /**
     * Registers an Avro schema under {@code subject} ({@code schemaType} omitted, no references) and
     * returns its id; an identical schema already registered returns the existing id.
     */
    public int register(String subject, String schema) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("schema", schema);
        JsonNode answer = send("POST", "/subjects/" + segment(subject) + "/versions", Optional.of(body));
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.SERVER, 0, "registry answered without a schema id: " + answer, null);
        }
        return id.asInt();
    }

    private static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Optional<JsonNode> body) {
        URI uri = URI.create(spec.url() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", CONTENT_TYPE + ", application/json");
        spec.username().ifPresent(user -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + spec.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
        if (body.isPresent()) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body.get().toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, 0, "error sending request for url (" + uri + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, 0, "interrupted while requesting " + uri, e);
        }
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return answer;
        }
        int code = answer.path("error_code").asInt(status);
        String message = answer.path("message").asText(response.body());
        if (status == 409) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.INCOMPATIBLE, code,
                    "schema being registered is incompatible with an earlier schema: " + message, null);
        }
        throw new SchemaRegistryException(SchemaRegistryException.Kind.SERVER, code, "server error " + code + ": " + message, null);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("message", body);
        }
    }

    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }
}
