package dev.sluice.kafka.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} from a connection's PEM options: {@code SSL CERTIFICATE AUTHORITY} becomes
 * the trust store (otherwise the JDK's default trust applies), {@code SSL CERTIFICATE} with
 * {@code SSL KEY} (PKCS#8, RSA or EC) the client identity.
 */
final class PemTls {
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    static Optional<SSLContext> context(SchemaRegistrySpec spec) {
        if (spec.sslCertificateAuthority().isEmpty() && spec.sslCertificate().isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory trust = null;
            if (spec.sslCertificateAuthority().isPresent()) {
                KeyStore trusted = emptyStore();
                int index = 0;
                for (Certificate certificate : certificates(spec.sslCertificateAuthority().get())) {
                    trusted.setCertificateEntry("ca" + index++, certificate);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
            }
            KeyManagerFactory keys = null;
            if (spec.sslCertificate().isPresent() && spec.sslKey().isPresent()) {
                KeyStore identity = emptyStore();
                List<Certificate> chain = certificates(spec.sslCertificate().get());
                identity.setKeyEntry("client", privateKey(spec.sslKey().get(), chain.get(0)), NO_PASSWORD, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid TLS material for the schema registry connection: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static List<Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> certificates = new ArrayList<>(factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate in PEM text");
        }
        return certificates;
    }

    private static PrivateKey privateKey(String pem, Certificate certificate) throws GeneralSecurityException {
        Matcher matcher = PRIVATE_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("SSL KEY must be a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        String algorithm = certificate.getPublicKey().getAlgorithm();
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
