package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.SluiceException;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server starts the built-in schema registry when configured, keeps it in its data directory and stops it on close. */
class SchemaRegistryWiringIT {
    private static final String NO_KAFKA = "127.0.0.1:1";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private SluiceServer server(Optional<Integer> registryPort) {
        return new SluiceServer(new ServerConfig(dataDir, "127.0.0.1", 0, 0, Optional.of(NO_KAFKA), 0, Optional.of("test"), registryPort), NO_KAFKA);
    }

    @Test
    void servesTheRegistryWhoseContentsOutliveARestart() throws Exception {
        String url;
        try (SluiceServer server = server(Optional.of(0))) {
            server.start();
            assertThat(server.schemaRegistryPort()).isPresent();
            url = server.schemaRegistryUrl().orElseThrow();
            assertThat(url).isEqualTo("http://127.0.0.1:" + server.schemaRegistryPort().getAsInt());

            HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(url + "/subjects/orders-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build());
            assertThat(registered.statusCode()).isEqualTo(200);
            assertThat(registered.body()).isEqualTo("{\"id\":1}");
            assertThat(get("http://127.0.0.1:" + server.httpPort() + "/health").body()).isEqualTo("ok\n");
        }
        assertThat(Files.exists(dataDir.resolve("schema-registry").resolve("registry.log"))).isTrue();
        assertThatThrownBy(() -> get(url + "/subjects")).as("closed with the server").isInstanceOf(IOException.class);

        try (SluiceServer server = server(Optional.of(0))) {
            server.start();
            assertThat(get(server.schemaRegistryUrl().orElseThrow() + "/subjects").body()).isEqualTo("[\"orders-value\"]");
        }
    }

    @Test
    void noRegistryWhenSwitchedOff() {
        try (SluiceServer server = server(Optional.empty())) {
            server.start();
            assertThat(server.schemaRegistryPort()).isEmpty();
            assertThat(server.schemaRegistryUrl()).isEmpty();
        }
        assertThat(Files.exists(dataDir.resolve("schema-registry"))).isFalse();
    }

    @Test
    void aBusyPortIsAnErrorNamingTheFlag() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
                SluiceServer server = server(Optional.of(taken.getLocalPort()))) {
            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(SluiceException.class, e -> {
                        assertThat(e.getMessage()).startsWith("cannot listen for the schema registry on 127.0.0.1:" + taken.getLocalPort());
                        assertThat(e.hint()).hasValueSatisfying(hint -> assertThat(hint).contains("--schema-registry-port")
                                .contains("--no-schema-registry"));
                    });
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
