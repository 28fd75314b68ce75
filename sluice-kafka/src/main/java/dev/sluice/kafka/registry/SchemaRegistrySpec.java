package dev.sluice.kafka.registry;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Everything needed to reach a Confluent-compatible schema registry, with secrets resolved
 * (reference §2.3): the base URL, HTTP basic auth ({@code USERNAME}/{@code PASSWORD}) and TLS
 * material in PEM form. {@link #toString()} redacts the password and key.
 */
public record SchemaRegistrySpec(
        String url,
        Optional<String> username,
        Optional<String> password,
        Optional<String> sslCertificateAuthority,
        Optional<String> sslCertificate,
        Optional<String> sslKey) {
    public SchemaRegistrySpec {
        requireNonNull(url, "url is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(sslCertificateAuthority, "sslCertificateAuthority is null");
        requireNonNull(sslCertificate, "sslCertificate is null");
        requireNonNull(sslKey, "sslKey is null");
        url = url.replaceAll("/+$", "");
    }

    public static SchemaRegistrySpec of(String url) {
        return new SchemaRegistrySpec(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "SchemaRegistrySpec[url=" + url + ", username=" + username.orElse("") + ", password=" + (password.isPresent() ? "<redacted>" : "")
                + ", tls=" + (sslCertificateAuthority.isPresent() || sslCertificate.isPresent()) + "]";
    }
}
