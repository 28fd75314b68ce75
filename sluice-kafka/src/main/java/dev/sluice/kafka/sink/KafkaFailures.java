package dev.sluice.kafka.sink;

import dev.sluice.common.error.SluiceException;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place where a sink's failures are classified (STYLE.md, "Kafka failures are classified in
 * exactly one place"); {@link KafkaSink} acts on the class and on nothing else.
 *
 * <table>
 *   <caption>Failure classes and what the sink does</caption>
 *   <tr><th>class</th><th>examples</th><th>action</th></tr>
 *   <tr><td>{@link Kind#RETRIABLE}</td><td>{@link RetriableException} thrown by the call itself (timeouts while the broker
 *       is away, no coordinator yet, not enough replicas), also wrapped in a Sluice error by the topic admin</td>
 *       <td>retry the same call with backoff; status {@code stalled} while it fails, {@code running} again after</td></tr>
 *   <tr><td>{@link Kind#ABORTABLE}</td><td>{@link TransactionAbortableException}, {@link InvalidProducerEpochException},
 *       a producer left in its abortable error state by a failed send (expired batch, record too large, unknown
 *       topic)</td><td>abort the transaction, restart from the last committed progress with the same producer</td></tr>
 *   <tr><td>{@link Kind#FENCED}</td><td>{@link ProducerFencedException} (another incarnation called
 *       {@code initTransactions}; also raised by the sink for a takeover it detects),
 *       {@link InvalidTxnStateException}</td><td>close the producer and stop this writer; status {@code fenced}</td></tr>
 *   <tr><td>{@link Kind#FATAL}</td><td>everything else: authorization and authentication errors, a configuration the
 *       broker rejects, a missing topic, progress of a newer sink version, unsupported versions, sequence errors, encoder errors</td>
 *       <td>close the producer, status {@code stalled} with the error, restart the whole sink after the restart
 *       delay</td></tr>
 * </table>
 *
 * A retriable failure whose retries run out is handled as {@link Kind#FATAL}.
 */
public final class KafkaFailures {
    /** Failure classes, in the order of the table above. */
    public enum Kind { RETRIABLE, ABORTABLE, FENCED, FATAL }

    /** Errors after which a producer can only be closed, never used again, even when they are the cause of an error state. */
    private static final List<Class<? extends Throwable>> PRODUCER_FATAL = List.of(AuthorizationException.class, AuthenticationException.class,
            UnsupportedVersionException.class, OutOfOrderSequenceException.class, InvalidConfigurationException.class,
            PolicyViolationException.class);

    private KafkaFailures() {
    }

    public static Kind classify(Throwable error) {
        for (Throwable cause : chain(error)) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidTxnStateException) {
                return Kind.FENCED;
            }
        }
        if (error instanceof TransactionAbortableException || error instanceof InvalidProducerEpochException) {
            return Kind.ABORTABLE;
        }
        if (error instanceof RetriableException) {
            return Kind.RETRIABLE;
        }
        if (error instanceof SluiceException
                && (error.getCause() instanceof RetriableException || error.getCause() instanceof java.util.concurrent.TimeoutException)) {
            // An admin or consumer call of the sink's startup that timed out or met a transient broker error.
            return Kind.RETRIABLE;
        }
        if (error.getClass() == KafkaException.class && error.getCause() != null) {
            // "Cannot execute transactional method because we are in an error state" (or the same for send): the
            // producer holds an earlier failure. A transaction can be aborted after anything but a fatal one.
            return isAny(error.getCause(), PRODUCER_FATAL) ? Kind.FATAL : Kind.ABORTABLE;
        }
        return Kind.FATAL;
    }

    /** The text shown in {@code mz_sink_statuses.error}: {@code kafka: } and the messages of the cause chain joined by {@code ": "}. */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder("kafka: ");
        int start = text.length();
        for (Throwable cause : chain(error)) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (text.indexOf(message, start) < 0) {
                text.append(text.length() == start ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    private static boolean isAny(Throwable error, List<Class<? extends Throwable>> types) {
        return types.stream().anyMatch(type -> type.isInstance(error));
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable cause = error; cause != null && !chain.contains(cause) && chain.size() < 20; cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
