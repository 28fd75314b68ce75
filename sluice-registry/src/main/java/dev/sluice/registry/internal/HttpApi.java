package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.registry.CompatibilityLevel;
import dev.sluice.registry.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry's REST API over a {@link Registry}: routes, request bodies, query
 * parameters and JSON answers (content type {@code application/vnd.schemaregistry.v1+json}),
 * and errors as {@code {"error_code": …, "message": …}} with Confluent's codes.
 */
public final class HttpApi implements HttpHandler {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Set<String> ACCEPTED_REQUEST_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json",
            "application/octet-stream");
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Registry registry;

    public HttpApi(Registry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** What a route answers: a JSON document, or (for the {@code …/schema} routes) the raw schema text. */
    private record Answer(int status, String body) {
        static Answer json(JsonNode node) {
            try {
                return new Answer(200, JSON.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One request as the routes see it: method, decoded path segments, query parameters and body. */
    private record Request(String method, List<String> path, Map<String, String> query, byte[] body, Optional<String> contentType) {
        boolean flag(String name) {
            return Boolean.parseBoolean(query.getOrDefault(name, "false"));
        }

        String segment(int index) {
            return path.get(index);
        }

        JsonNode json() {
            if (contentType.isPresent() && !ACCEPTED_REQUEST_TYPES.contains(contentType.get())) {
                throw new RegistryException(RegistryError.UNSUPPORTED_MEDIA_TYPE);
            }
            if (body.length == 0) {
                throw new RegistryException(RegistryError.UNPROCESSABLE_REQUEST, "Request body is required");
            }
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new RegistryException(RegistryError.MALFORMED_JSON, "Malformed JSON request body: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = route(read(exchange));
            } catch (RegistryException e) {
                answer = error(e.error(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                answer = error(RegistryError.STORE_ERROR, "Internal error in the schema registry; see its log");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Answer error(RegistryError error, String message) {
        ObjectNode node = NODES.objectNode().put("error_code", error.errorCode()).put("message", message);
        return new Answer(error.httpStatus(), node.toString());
    }

    private static Request read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Optional<String> mediaType = Optional.ofNullable(contentType)
                .map(type -> type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter(type -> !type.isEmpty());
        return new Request(exchange.getRequestMethod(), pathSegments(exchange.getRequestURI().getRawPath()),
                queryParameters(exchange.getRequestURI().getRawQuery()), body, mediaType);
    }

    /** Splits the raw path before decoding, so a subject may contain an encoded {@code /}. */
    private static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>(Arrays.asList(rawPath.split("/", -1)));
        if (!segments.isEmpty() && segments.get(0).isEmpty()) {
            segments.remove(0);
        }
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        segments.replaceAll(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        return segments;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    private Answer route(Request request) {
        List<String> path = request.path();
        if (path.isEmpty()) {
            if (!request.method().equals("GET") && !request.method().equals("POST")) {
                throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
            }
            return Answer.json(NODES.objectNode());
        }
        return switch (path.get(0)) {
            case "subjects" -> subjects(request);
            case "schemas" -> schemas(request);
            case "config" -> config(request);
            case "mode" -> mode(request);
            case "compatibility" -> compatibility(request);
            default -> throw new RegistryException(RegistryError.NOT_FOUND);
        };
    }

    /** Runs {@code action} if the request's method is {@code method} (405 otherwise). */
    private static Answer on(Request request, String method, Action action) {
        if (!request.method().equals(method)) {
            throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
        }
        return action.run();
    }

    @FunctionalInterface
    private interface Action {
        Answer run();
    }

    private Answer subjects(Request request) {
        List<String> path = request.path();
        if (path.size() == 1) {
            return on(request, "GET", () -> Answer.json(strings(registry.subjects(request.query().getOrDefault("subjectPrefix", ""),
                    request.flag("deleted"), request.flag("deletedOnly")))));
        }
        String subject = request.segment(1);
        if (path.size() == 2) {
            return switch (request.method()) {
                case "POST" -> Answer.json(version(registry.lookup(subject, schemaRequest(request), request.flag("deleted"))));
                case "DELETE" -> Answer.json(numbers(registry.deleteSubject(subject, request.flag("permanent"))));
                default -> throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
            };
        }
        if (!request.segment(2).equals("versions")) {
            throw new RegistryException(RegistryError.NOT_FOUND);
        }
        if (path.size() == 3) {
            return switch (request.method()) {
                case "GET" -> Answer.json(numbers(registry.versions(subject, request.flag("deleted"), request.flag("deletedOnly"))));
                case "POST" -> Answer.json(NODES.objectNode().put("id", registry.register(subject, schemaRequest(request))));
                default -> throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
            };
        }
        if (path.size() == 4) {
            return switch (request.method()) {
                case "GET" -> Answer.json(version(registry.version(subject, VersionRef.parse(request.segment(3)), request.flag("deleted"))));
                case "DELETE" -> Answer.json(NODES.numberNode(registry.deleteVersion(subject, VersionRef.parse(request.segment(3)),
                        request.flag("permanent"))));
                default -> throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
            };
        }
        if (path.size() == 5 && request.segment(4).equals("schema")) {
            return on(request, "GET",
                    () -> new Answer(200, registry.version(subject, VersionRef.parse(request.segment(3)), request.flag("deleted")).schema()));
        }
        if (path.size() == 5 && request.segment(4).equals("referencedby")) {
            // No schema can reference another here (references are refused), so the list is empty once the version exists.
            return on(request, "GET", () -> {
                registry.version(subject, VersionRef.parse(request.segment(3)), true);
                return Answer.json(NODES.arrayNode());
            });
        }
        throw new RegistryException(RegistryError.NOT_FOUND);
    }

    private Answer schemas(Request request) {
        List<String> path = request.path();
        if (path.size() == 2 && request.segment(1).equals("types")) {
            return on(request, "GET", () -> Answer.json(strings(List.of(AvroSchemas.TYPE))));
        }
        if (path.size() < 3 || path.size() > 4 || !request.segment(1).equals("ids")) {
            throw new RegistryException(RegistryError.NOT_FOUND);
        }
        int id;
        try {
            id = Integer.parseInt(request.segment(2));
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryError.NOT_FOUND);
        }
        if (path.size() == 3) {
            // Confluent omits schemaType for Avro, and references when there are none.
            return on(request, "GET", () -> Answer.json(NODES.objectNode().put("schema", registry.schema(id))));
        }
        return switch (request.segment(3)) {
            case "schema" -> on(request, "GET", () -> new Answer(200, registry.schema(id)));
            case "versions" -> on(request, "GET", () -> {
                ArrayNode holders = NODES.arrayNode();
                for (Registry.SubjectVersion holder : registry.versionsOf(id, request.flag("deleted"))) {
                    holders.addObject().put("subject", holder.subject()).put("version", holder.version());
                }
                return Answer.json(holders);
            });
            case "subjects" -> on(request, "GET", () -> {
                Set<String> subjects = new LinkedHashSet<>();
                for (Registry.SubjectVersion holder : registry.versionsOf(id, request.flag("deleted"))) {
                    subjects.add(holder.subject());
                }
                return Answer.json(strings(List.copyOf(subjects)));
            });
            default -> throw new RegistryException(RegistryError.NOT_FOUND);
        };
    }

    private Answer config(Request request) {
        Optional<String> subject = scope(request);
        return switch (request.method()) {
            case "GET" -> Answer.json(level("compatibilityLevel", registry.level(subject, request.flag("defaultToGlobal"))));
            case "PUT" -> {
                JsonNode body = object(request.json());
                Optional<String> name = text(body, "compatibility").or(() -> text(body, "compatibilityLevel"));
                yield Answer.json(level("compatibility", registry.setLevel(subject, name)));
            }
            case "DELETE" -> Answer.json(level("compatibilityLevel", registry.deleteLevel(subject)));
            default -> throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
        };
    }

    private Answer mode(Request request) {
        Optional<String> subject = scope(request);
        return switch (request.method()) {
            case "GET" -> Answer.json(mode(registry.mode(subject, request.flag("defaultToGlobal"))));
            case "PUT" -> Answer.json(mode(registry.setMode(subject, text(object(request.json()), "mode"), request.flag("force"))));
            case "DELETE" -> Answer.json(mode(registry.deleteMode(subject)));
            default -> throw new RegistryException(RegistryError.METHOD_NOT_ALLOWED);
        };
    }

    /** {@code /config} and {@code /mode} are global; {@code /config/{subject}} and {@code /mode/{subject}} a subject's. */
    private static Optional<String> scope(Request request) {
        return switch (request.path().size()) {
            case 1 -> Optional.empty();
            case 2 -> Optional.of(request.segment(1));
            default -> throw new RegistryException(RegistryError.NOT_FOUND);
        };
    }

    private Answer compatibility(Request request) {
        List<String> path = request.path();
        if (path.size() < 4 || path.size() > 5 || !request.segment(1).equals("subjects") || !request.segment(3).equals("versions")) {
            throw new RegistryException(RegistryError.NOT_FOUND);
        }
        return on(request, "POST", () -> {
            Optional<VersionRef> version = path.size() == 5 ? Optional.of(VersionRef.parse(request.segment(4))) : Optional.empty();
            boolean verbose = request.flag("verbose");
            List<String> messages = registry.testCompatibility(request.segment(2), version, schemaRequest(request), verbose);
            ObjectNode answer = NODES.objectNode().put("is_compatible", messages.isEmpty());
            if (verbose) {
                answer.set("messages", strings(messages));
            }
            return Answer.json(answer);
        });
    }

    private static SchemaRequest schemaRequest(Request request) {
        JsonNode body = object(request.json());
        if (isPresent(body, "metadata") || isPresent(body, "ruleSet")) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "Schema metadata and rule sets are not supported by this registry");
        }
        JsonNode references = body.get("references");
        if (references != null && !references.isNull() && !references.isArray()) {
            throw new RegistryException(RegistryError.UNPROCESSABLE_REQUEST, "references must be an array");
        }
        int referenceCount = references == null ? 0 : references.size();
        OptionalInt id = integer(body, "id").filter(value -> value >= 0).map(OptionalInt::of).orElse(OptionalInt.empty());
        OptionalInt version = integer(body, "version").filter(value -> value > 0).map(OptionalInt::of).orElse(OptionalInt.empty());
        return new SchemaRequest(text(body, "schema"), text(body, "schemaType"), referenceCount, id, version);
    }

    private static JsonNode object(JsonNode node) {
        if (!node.isObject()) {
            throw new RegistryException(RegistryError.UNPROCESSABLE_REQUEST, "The request body must be a JSON object");
        }
        return node;
    }

    private static boolean isPresent(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new RegistryException(RegistryError.UNPROCESSABLE_REQUEST, field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Optional<Integer> integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new RegistryException(RegistryError.UNPROCESSABLE_REQUEST, field + " must be an integer");
        }
        return Optional.of(value.asInt());
    }

    private static ObjectNode version(Registry.SubjectVersion version) {
        return NODES.objectNode().put("subject", version.subject()).put("version", version.version()).put("id", version.id())
                .put("schema", version.schema());
    }

    private static ObjectNode level(String field, CompatibilityLevel level) {
        return NODES.objectNode().put(field, level.name());
    }

    private static ObjectNode mode(Mode mode) {
        return NODES.objectNode().put("mode", mode.name());
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode numbers(List<Integer> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
