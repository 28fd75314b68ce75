package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.kafka.connection.KafkaConnectionSpec;
import dev.sluice.kafka.connection.KafkaConnectionValidator;
import dev.sluice.kafka.connection.SchemaRegistryValidator;
import dev.sluice.kafka.registry.SchemaRegistrySpec;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.SecretItem;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.catalog.StringOrSecret;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import dev.sluice.storage.WriteBatch;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code CREATE CONNECTION … TO KAFKA | CONFLUENT SCHEMA REGISTRY}, with the rules and messages of reference §2.2–2.3. */
public final class CreateConnectionTask {
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> SECURITY_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> SASL_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private CreateConnectionTask() {
    }

    public static Coordinator.DdlResult plan(Catalog catalog, Statement.CreateConnection statement, DdlContext context) {
        Names.checkSchema(statement.name());
        String name = statement.name().last();
        Optional<CatalogItem> existing = catalog.byName(name);
        if (existing.isPresent()) {
            if (statement.ifNotExists()) {
                return Coordinator.DdlResult.noop(catalog, "connection \"" + name + "\" already exists, skipping");
            }
            throw SluiceException.of(ErrorCode.DUPLICATE_OBJECT, "connection \"%s\" already exists", existing.get().qualifiedName());
        }
        String id = catalog.peekNextId();
        ConnectionItem connection = build(catalog, id, statement);
        if (validate(statement) && context.validateExternally()) {
            check(catalog, connection);
        }
        var body = StoredItem.newBody();
        body.put("name", name);
        body.put("create_sql", statement.sql());
        WriteBatch batch = new WriteBatch().add(StoredItem.COLLECTION_ID, new StoredItem(id, "connection", body).toRow(), 1);
        return new Coordinator.DdlResult(catalog.with(connection), batch, List.of(), Optional.empty());
    }

    private static boolean validate(Statement.CreateConnection statement) {
        for (SqlOption option : statement.withOptions()) {
            if (option.name().equals("VALIDATE")) {
                if (option.value() instanceof OptionValue.Absent) {
                    return true;
                }
                if (option.value() instanceof OptionValue.Bool bool) {
                    return bool.value();
                }
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid VALIDATE option value: cannot use value as boolean");
            }
        }
        return true;
    }

    /** Plans the connection from its statement; no network access (used at CREATE and when loading the catalog). */
    public static ConnectionItem build(Catalog catalog, String id, Statement.CreateConnection statement) {
        String name = statement.name().last();
        Map<String, SqlOption> options = new LinkedHashMap<>();
        for (SqlOption option : statement.options()) {
            if (options.put(option.name(), option) != null) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s specified more than once", option.name());
            }
        }
        ConnectionDetails details = switch (statement.connectionType()) {
            case "KAFKA" -> kafka(catalog, id, options);
            case "CONFLUENT SCHEMA REGISTRY" -> schemaRegistry(catalog, options);
            case "SSH TUNNEL", "AWS PRIVATELINK", "AWS" -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
                    "%s connections are not supported by Sluice", statement.connectionType())
                    .withHint("Sluice connects to Kafka and schema registries directly; SSH tunnels, AWS PrivateLink and AWS IAM are out of scope.");
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s connections are not supported by Sluice",
                    statement.connectionType()).withHint("Sluice supports connections TO KAFKA and TO CONFLUENT SCHEMA REGISTRY.");
        };
        return new ConnectionItem(id, name, details, statement.sql());
    }

    private static ConnectionDetails.Kafka kafka(Catalog catalog, String id, Map<String, SqlOption> options) {
        for (String unsupported : List.of("AWS PRIVATELINK", "SSH TUNNEL", "AWS CONNECTION")) {
            if (options.containsKey(unsupported)) {
                throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s is not supported by Sluice", unsupported)
                        .withHint("SSH tunnels, AWS PrivateLink and AWS IAM authentication are out of scope; connect to the brokers directly.");
            }
        }
        boolean broker = options.containsKey("BROKER");
        boolean brokers = options.containsKey("BROKERS");
        if (!broker && !brokers) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: must set one of BROKER, BROKERS, or AWS PRIVATELINK");
        }
        if (broker && brokers) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: can only set one of BROKER, BROKERS, or AWS PRIVATELINK");
        }
        List<String> addresses = new ArrayList<>();
        if (broker) {
            addresses.add(brokerAddress(options.get("BROKER").value()));
        } else {
            OptionValue value = options.get("BROKERS").value();
            if (!(value instanceof OptionValue.Sequence sequence)) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid BROKERS: expected a parenthesized list of broker addresses");
            }
            for (OptionValue element : sequence.values()) {
                addresses.add(brokerAddress(element));
            }
            if (addresses.isEmpty()) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: BROKERS must contain at least one static broker address");
            }
        }
        boolean saslGiven = options.containsKey("SASL MECHANISMS") || options.containsKey("SASL USERNAME") || options.containsKey("SASL PASSWORD");
        String protocol = options.containsKey("SECURITY PROTOCOL") ? word(options.get("SECURITY PROTOCOL").value()).toUpperCase(Locale.ROOT)
                : saslGiven ? "SASL_SSL" : "SSL";
        if (!SECURITY_PROTOCOLS.contains(protocol)) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "unknown security protocol: %s", protocol);
        }
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        boolean sasl = protocol.startsWith("SASL");
        for (String option : List.of("SSL CERTIFICATE AUTHORITY", "SSL CERTIFICATE", "SSL KEY")) {
            if (!tls && options.containsKey(option)) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "option %s not supported with this configuration", option);
            }
        }
        for (String option : List.of("SASL MECHANISMS", "SASL USERNAME", "SASL PASSWORD")) {
            if (!sasl && options.containsKey(option)) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "option %s not supported with this configuration", option);
            }
        }
        if (options.containsKey("SSL CERTIFICATE") && !options.containsKey("SSL KEY")) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "SSL KEY must be specified with SSL CERTIFICATE");
        }
        Optional<String> mechanism = Optional.empty();
        if (sasl) {
            for (String option : List.of("SASL MECHANISMS", "SASL USERNAME", "SASL PASSWORD")) {
                if (!options.containsKey(option)) {
                    throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s must be specified", option);
                }
            }
            String value = text(options.get("SASL MECHANISMS").value(), "SASL MECHANISMS").toUpperCase(Locale.ROOT);
            if (!SASL_MECHANISMS.contains(value)) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid SASL MECHANISMS: %s", value)
                        .withHint("Sluice supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.");
            }
            mechanism = Optional.of(value);
        }
        Optional<Integer> replicationFactor = Optional.empty();
        if (options.containsKey("PROGRESS TOPIC REPLICATION FACTOR")) {
            int factor = integer(options.get("PROGRESS TOPIC REPLICATION FACTOR").value(), "PROGRESS TOPIC REPLICATION FACTOR");
            if (factor <= 0) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "invalid CONNECTION: PROGRESS TOPIC REPLICATION FACTOR must be greater than 0");
            }
            replicationFactor = Optional.of(factor);
        }
        String progressTopic = options.containsKey("PROGRESS TOPIC") ? text(options.get("PROGRESS TOPIC").value(), "PROGRESS TOPIC")
                : "_materialize-progress-" + catalog.environmentId() + "-" + id;
        return new ConnectionDetails.Kafka(addresses, protocol, mechanism,
                optional(catalog, options, "SASL USERNAME"), secretOnly(catalog, options, "SASL PASSWORD"),
                optional(catalog, options, "SSL CERTIFICATE AUTHORITY"), optional(catalog, options, "SSL CERTIFICATE"),
                secretOnly(catalog, options, "SSL KEY"), progressTopic, replicationFactor);
    }

    private static ConnectionDetails.SchemaRegistry schemaRegistry(Catalog catalog, Map<String, SqlOption> options) {
        for (String unsupported : List.of("AWS PRIVATELINK", "SSH TUNNEL")) {
            if (options.containsKey(unsupported)) {
                throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s is not supported by Sluice", unsupported)
                        .withHint("SSH tunnels and AWS PrivateLink are out of scope; connect to the registry directly.");
            }
        }
        if (!options.containsKey("URL")) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: must specify URL");
        }
        String url = text(options.get("URL").value(), "URL");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "parsing schema registry url: %s", e.getMessage());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: URL must specify domain name");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: URL must have an empty path");
        }
        if (options.containsKey("SSL CERTIFICATE") != options.containsKey("SSL KEY")) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "invalid CONNECTION: reading from SSL-auth Confluent Schema Registry requires both SSL KEY and SSL CERTIFICATE");
        }
        return new ConnectionDetails.SchemaRegistry(url, optional(catalog, options, "USERNAME"), secretOnly(catalog, options, "PASSWORD"),
                optional(catalog, options, "SSL CERTIFICATE"), secretOnly(catalog, options, "SSL KEY"),
                optional(catalog, options, "SSL CERTIFICATE AUTHORITY"));
    }

    /** Validation: a Kafka metadata fetch, or a registry {@code GET /subjects}. */
    private static void check(Catalog catalog, ConnectionItem connection) {
        if (connection.details() instanceof ConnectionDetails.Kafka kafka) {
            KafkaConnectionValidator.validate(spec(catalog, kafka), VALIDATION_TIMEOUT);
        } else if (connection.details() instanceof ConnectionDetails.SchemaRegistry registry) {
            SchemaRegistryValidator.validate(registrySpec(catalog, registry), VALIDATION_TIMEOUT);
        }
    }

    /** The client configuration of a schema registry connection with its secrets resolved. */
    public static SchemaRegistrySpec registrySpec(Catalog catalog, ConnectionDetails.SchemaRegistry registry) {
        return new SchemaRegistrySpec(registry.url(), registry.username().map(value -> resolve(catalog, value)),
                registry.passwordSecretId().map(secret -> secretValue(catalog, secret)),
                registry.sslCertificateAuthority().map(value -> resolve(catalog, value)), registry.sslCertificate().map(value -> resolve(catalog, value)),
                registry.sslKeySecretId().map(secret -> secretValue(catalog, secret)));
    }

    /** The client configuration of a Kafka connection with its secrets resolved. */
    public static KafkaConnectionSpec spec(Catalog catalog, ConnectionDetails.Kafka kafka) {
        return new KafkaConnectionSpec(kafka.brokers(), kafka.securityProtocol(), kafka.saslMechanism(),
                kafka.saslUsername().map(value -> resolve(catalog, value)), kafka.saslPasswordSecretId().map(secret -> secretValue(catalog, secret)),
                kafka.sslCertificateAuthority().map(value -> resolve(catalog, value)), kafka.sslCertificate().map(value -> resolve(catalog, value)),
                kafka.sslKeySecretId().map(secret -> secretValue(catalog, secret)));
    }

    private static String resolve(Catalog catalog, StringOrSecret value) {
        return value.literal().orElseGet(() -> secretValue(catalog, value.secretId().orElseThrow()));
    }

    private static String secretValue(Catalog catalog, String secretId) {
        CatalogItem item = catalog.byId(secretId).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "secret %s was dropped", secretId));
        return new String(((SecretItem) item).value().toByteArray(), StandardCharsets.UTF_8);
    }

    private static String brokerAddress(OptionValue value) {
        if (value instanceof OptionValue.Qualified qualified) {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "BROKER ... %s is not supported by Sluice", String.join(" ", qualified.words()))
                    .withHint("SSH tunnels, AWS PrivateLink and MATCHING rules are out of scope; list the brokers' addresses directly.");
        }
        String address = text(value, "BROKER");
        if (address.contains(",")) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid CONNECTION: cannot specify multiple Kafka broker addresses in one string.")
                    .withHint("Use the BROKERS option to specify multiple brokers, e.g. BROKERS ('kafka:9092', 'kafka:9093')");
        }
        String trimmed = address.trim();
        return trimmed.contains(":") ? trimmed : trimmed + ":9092";
    }

    private static Optional<StringOrSecret> optional(Catalog catalog, Map<String, SqlOption> options, String name) {
        if (!options.containsKey(name)) {
            return Optional.empty();
        }
        OptionValue value = options.get(name).value();
        if (value instanceof OptionValue.Secret secret) {
            return Optional.of(StringOrSecret.secret(catalog.resolve(secret.name().parts(), SecretItem.class, ObjectType.SECRET).id()));
        }
        return Optional.of(StringOrSecret.literal(text(value, name)));
    }

    private static Optional<String> secretOnly(Catalog catalog, Map<String, SqlOption> options, String name) {
        if (!options.containsKey(name)) {
            return Optional.empty();
        }
        if (!(options.get(name).value() instanceof OptionValue.Secret secret)) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s: must be a SECRET", name)
                    .withHint("Create it with CREATE SECRET and refer to it as SECRET <name>.");
        }
        return Optional.of(catalog.resolve(secret.name().parts(), SecretItem.class, ObjectType.SECRET).id());
    }

    static String text(OptionValue value, String name) {
        if (value instanceof OptionValue.Text text) {
            return text.value();
        }
        if (value instanceof OptionValue.Name word) {
            return word.name().toString();
        }
        throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s: cannot use value as string", name);
    }

    private static String word(OptionValue value) {
        return text(value, "SECURITY PROTOCOL");
    }

    static int integer(OptionValue value, String name) {
        if (value instanceof OptionValue.Number number) {
            try {
                return Integer.parseInt(number.value());
            } catch (NumberFormatException e) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s: cannot use value as number", name);
            }
        }
        throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s: cannot use value as number", name);
    }
}
