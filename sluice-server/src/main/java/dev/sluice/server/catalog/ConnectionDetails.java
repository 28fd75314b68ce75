package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a connection connects to; secrets are referenced by id and resolved only when used. */
public sealed interface ConnectionDetails {
    /** Ids of the secrets the connection uses. */
    Set<String> secretIds();

    /** {@code CREATE CONNECTION … TO KAFKA}, reference §2.2. */
    record Kafka(
            List<String> brokers,
            String securityProtocol,
            Optional<String> saslMechanism,
            Optional<StringOrSecret> saslUsername,
            Optional<String> saslPasswordSecretId,
            Optional<StringOrSecret> sslCertificateAuthority,
            Optional<StringOrSecret> sslCertificate,
            Optional<String> sslKeySecretId,
            String progressTopic,
            Optional<Integer> progressTopicReplicationFactor) implements ConnectionDetails {
        public Kafka {
            brokers = List.copyOf(requireNonNull(brokers, "brokers is null"));
            requireNonNull(securityProtocol, "securityProtocol is null");
            requireNonNull(saslMechanism, "saslMechanism is null");
            requireNonNull(saslUsername, "saslUsername is null");
            requireNonNull(saslPasswordSecretId, "saslPasswordSecretId is null");
            requireNonNull(sslCertificateAuthority, "sslCertificateAuthority is null");
            requireNonNull(sslCertificate, "sslCertificate is null");
            requireNonNull(sslKeySecretId, "sslKeySecretId is null");
            requireNonNull(progressTopic, "progressTopic is null");
            requireNonNull(progressTopicReplicationFactor, "progressTopicReplicationFactor is null");
        }

        @Override
        public Set<String> secretIds() {
            Set<String> ids = new LinkedHashSet<>();
            saslUsername.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            saslPasswordSecretId.ifPresent(ids::add);
            sslCertificateAuthority.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            sslCertificate.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            sslKeySecretId.ifPresent(ids::add);
            return ids;
        }
    }

    /** {@code CREATE CONNECTION … TO CONFLUENT SCHEMA REGISTRY}, reference §2.3. */
    record SchemaRegistry(
            String url,
            Optional<StringOrSecret> username,
            Optional<String> passwordSecretId,
            Optional<StringOrSecret> sslCertificate,
            Optional<String> sslKeySecretId,
            Optional<StringOrSecret> sslCertificateAuthority) implements ConnectionDetails {
        public SchemaRegistry {
            requireNonNull(url, "url is null");
            requireNonNull(username, "username is null");
            requireNonNull(passwordSecretId, "passwordSecretId is null");
            requireNonNull(sslCertificate, "sslCertificate is null");
            requireNonNull(sslKeySecretId, "sslKeySecretId is null");
            requireNonNull(sslCertificateAuthority, "sslCertificateAuthority is null");
        }

        @Override
        public Set<String> secretIds() {
            Set<String> ids = new LinkedHashSet<>();
            username.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            passwordSecretId.ifPresent(ids::add);
            sslCertificate.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            sslKeySecretId.ifPresent(ids::add);
            sslCertificateAuthority.flatMap(StringOrSecret::secretId).ifPresent(ids::add);
            return ids;
        }
    }
}
