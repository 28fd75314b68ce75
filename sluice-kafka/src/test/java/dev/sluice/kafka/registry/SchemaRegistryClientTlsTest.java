package dev.sluice.kafka.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS and basic auth from a connection's options, against a hand-written HTTPS
 * endpoint (the JDK's server) that requires a client certificate and records the Authorization
 * header. Certificates are made with the JDK's keytool.
 */
class SchemaRegistryClientTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static HttpsServer server;
    private static String serverCertificate;
    private static String clientCertificate;
    private static String clientKey;
    private static String url;

    @TempDir
    static Path directory;

    @BeforeAll
    static void start() throws Exception {
        KeyStore serverStore = keyPair("server", "CN=127.0.0.1", "SAN=ip:127.0.0.1");
        KeyStore clientStore = keyPair("client", "CN=sluice-sink", null);
        serverCertificate = pem("CERTIFICATE", serverStore.getCertificate("server").getEncoded());
        clientCertificate = pem("CERTIFICATE", clientStore.getCertificate("client").getEncoded());
        clientKey = pem("PRIVATE KEY", clientStore.getKey("client", PASSWORD).getEncoded());

        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(serverStore, PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client", clientStore.getCertificate("client"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/subjects", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            AUTHORIZATIONS.add(authorization == null ? "none" : authorization);
            byte[] body = "[\"orders-value\"]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static KeyStore keyPair(String alias, String name, String extension) throws Exception {
        Path file = directory.resolve(alias + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SchemaRegistrySpec spec(Optional<String> authority, Optional<String> certificate, Optional<String> key) {
        return new SchemaRegistrySpec(url, Optional.of("sink"), Optional.of("s3cret"), authority, certificate, key);
    }

    @Test
    void theConnectionsCertificatesAndCredentialsAreUsed() {
        SchemaRegistryClient client = new SchemaRegistryClient(spec(Optional.of(serverCertificate), Optional.of(clientCertificate),
                Optional.of(clientKey)), Duration.ofSeconds(10));
        assertThat(client.subjects()).containsExactly("orders-value");
        assertThat(AUTHORIZATIONS).last().isEqualTo("Basic " + Base64.getEncoder().encodeToString("sink:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withoutTheAuthorityTheServerIsNotTrusted() {
        SchemaRegistryClient client = new SchemaRegistryClient(spec(Optional.empty(), Optional.of(clientCertificate), Optional.of(clientKey)),
                Duration.ofSeconds(10));
        assertThatThrownBy(client::subjects).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE));
    }

    @Test
    void withoutAClientCertificateTheServerRefuses() {
        SchemaRegistryClient client = new SchemaRegistryClient(spec(Optional.of(serverCertificate), Optional.empty(), Optional.empty()),
                Duration.ofSeconds(10));
        assertThatThrownBy(client::subjects).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithAClearMessage() {
        String rsa = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> new SchemaRegistryClient(spec(Optional.of(serverCertificate), Optional.of(clientCertificate), Optional.of(rsa)),
                Duration.ofSeconds(10))).hasMessageContaining("SSL KEY must be a PKCS#8 PEM key");
    }
}
