package dev.sluice.kafka.connection;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** {@code WITH (VALIDATE = true)}: one metadata fetch against the cluster. */
public final class KafkaConnectionValidator {
    private KafkaConnectionValidator() {
    }

    public static void validate(KafkaConnectionSpec spec, Duration timeout) {
        Map<String, Object> properties = new HashMap<>(spec.clientProperties());
        properties.put("request.timeout.ms", (int) timeout.toMillis());
        properties.put("default.api.timeout.ms", (int) timeout.toMillis());
        properties.put("socket.connection.setup.timeout.ms", (int) Math.min(timeout.toMillis(), 10_000));
        properties.put("reconnect.backoff.max.ms", 1000);
        try (Admin admin = Admin.create(properties)) {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "zero brokers discovered in metadata request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "failed to connect to Kafka broker " + String.join(",", spec.brokers())
                    + ": " + reason).withHint("Check that the brokers are reachable and the security options match the listener, "
                            + "or create the connection WITH (VALIDATE = false).");
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new SluiceException(ErrorCode.CONNECTION_FAILURE, "invalid Kafka client configuration: " + e.getMessage());
        }
    }
}
