package dev.sluice.kafka.connection;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to reach a Kafka cluster, with secrets already resolved to their values.
 * Never logged: {@link #toString()} redacts the password and key.
 */
public record KafkaConnectionSpec(
        List<String> brokers,
        String securityProtocol,
        Optional<String> saslMechanism,
        Optional<String> saslUsername,
        Optional<String> saslPassword,
        Optional<String> sslCertificateAuthority,
        Optional<String> sslCertificate,
        Optional<String> sslKey) {
    public KafkaConnectionSpec {
        brokers = List.copyOf(requireNonNull(brokers, "brokers is null"));
        requireNonNull(securityProtocol, "securityProtocol is null");
        requireNonNull(saslMechanism, "saslMechanism is null");
        requireNonNull(saslUsername, "saslUsername is null");
        requireNonNull(saslPassword, "saslPassword is null");
        requireNonNull(sslCertificateAuthority, "sslCertificateAuthority is null");
        requireNonNull(sslCertificate, "sslCertificate is null");
        requireNonNull(sslKey, "sslKey is null");
    }

    public static KafkaConnectionSpec plaintext(String bootstrap) {
        return new KafkaConnectionSpec(List.of(bootstrap.split(",")), "PLAINTEXT", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Client configuration shared by producers, consumers and admin clients (reference §2.2). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", String.join(",", brokers));
        properties.put("security.protocol", securityProtocol);
        sslCertificateAuthority.ifPresent(pem -> {
            properties.put("ssl.truststore.type", "PEM");
            properties.put("ssl.truststore.certificates", pem);
        });
        if (sslCertificate.isPresent() && sslKey.isPresent()) {
            properties.put("ssl.keystore.type", "PEM");
            properties.put("ssl.keystore.certificate.chain", sslCertificate.get());
            properties.put("ssl.keystore.key", sslKey.get());
        }
        saslMechanism.ifPresent(mechanism -> {
            properties.put("sasl.mechanism", mechanism);
            String module = mechanism.toUpperCase(Locale.ROOT).startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            properties.put("sasl.jaas.config", module + " required username=\"" + escape(saslUsername.orElse("")) + "\" password=\""
                    + escape(saslPassword.orElse("")) + "\";");
        });
        return properties;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaConnectionSpec[brokers=" + brokers + ", securityProtocol=" + securityProtocol + ", saslMechanism=" + saslMechanism
                + ", saslUsername=" + saslUsername + "]";
    }
}
