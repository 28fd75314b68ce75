package dev.sluice.kafka.connection;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** {@code WITH (VALIDATE = true)} for a schema registry: {@code GET /subjects}. */
public final class SchemaRegistryValidator {
    private SchemaRegistryValidator() {
    }

    public static void validate(String url, Optional<String> username, Optional<String> password, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/subjects")).timeout(timeout).GET();
        username.ifPresent(user -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8))));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "schema registry at " + url + " answered GET /subjects with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "failed to reach schema registry at " + url + ": " + e)
                    .withHint("Check the URL, or create the connection WITH (VALIDATE = false).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
        }
    }
}
