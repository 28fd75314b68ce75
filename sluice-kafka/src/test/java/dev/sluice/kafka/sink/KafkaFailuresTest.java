package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

/** The exceptions the Kafka client and the sink's own checks raise, each in its class. */
class KafkaFailuresTest {
    private static final String ERROR_STATE = "Cannot execute transactional method because we are in an error state";

    @Test
    void timeoutsAndTransientBrokerErrorsAreRetriable() {
        assertThat(KafkaFailures.classify(new TimeoutException("Timeout expired after 10000ms while awaiting EndTxn(true)")))
                .isEqualTo(KafkaFailures.Kind.RETRIABLE);
        assertThat(KafkaFailures.classify(new NotEnoughReplicasException("not enough replicas"))).isEqualTo(KafkaFailures.Kind.RETRIABLE);
        assertThat(KafkaFailures.classify(new SluiceException(ErrorCode.SYSTEM_ERROR, "Timed out waiting for a node assignment",
                new TimeoutException("Timed out waiting for a node assignment")))).isEqualTo(KafkaFailures.Kind.RETRIABLE);
    }

    @Test
    void producerInItsAbortableErrorStateIsAbortable() {
        assertThat(KafkaFailures.classify(new TransactionAbortableException("abort"))).isEqualTo(KafkaFailures.Kind.ABORTABLE);
        assertThat(KafkaFailures.classify(new InvalidProducerEpochException("epoch"))).isEqualTo(KafkaFailures.Kind.ABORTABLE);
        assertThat(KafkaFailures.classify(new KafkaException(ERROR_STATE, new TimeoutException("Expiring 3 record(s) for t-0"))))
                .as("a retriable cause inside an error state is not retried: only an abort clears it").isEqualTo(KafkaFailures.Kind.ABORTABLE);
        assertThat(KafkaFailures.classify(new KafkaException(ERROR_STATE, new RecordTooLargeException("too large"))))
                .isEqualTo(KafkaFailures.Kind.ABORTABLE);
    }

    @Test
    void fencingAndInvalidTransactionStateAreFenced() {
        assertThat(KafkaFailures.classify(new ProducerFencedException("fenced"))).isEqualTo(KafkaFailures.Kind.FENCED);
        assertThat(KafkaFailures.classify(new InvalidTxnStateException("invalid"))).isEqualTo(KafkaFailures.Kind.FENCED);
        assertThat(KafkaFailures.classify(new KafkaException("MockProducer is fenced.", new ProducerFencedException("Fenced"))))
                .isEqualTo(KafkaFailures.Kind.FENCED);
    }

    @Test
    void authorizationMissingTopicsAndEverythingElseAreFatal() {
        assertThat(KafkaFailures.classify(new TopicAuthorizationException(Set.of("t")))).isEqualTo(KafkaFailures.Kind.FATAL);
        assertThat(KafkaFailures.classify(new KafkaException(ERROR_STATE, new TransactionalIdAuthorizationException("denied"))))
                .isEqualTo(KafkaFailures.Kind.FATAL);
        assertThat(KafkaFailures.classify(new SluiceException(ErrorCode.SYSTEM_ERROR, "topic t does not exist"))).isEqualTo(KafkaFailures.Kind.FATAL);
        assertThat(KafkaFailures.classify(new IllegalStateException("bug"))).isEqualTo(KafkaFailures.Kind.FATAL);
    }

    @Test
    void errorTextJoinsTheCauseChainWithoutRepeats() {
        SluiceException error = new SluiceException(ErrorCode.SYSTEM_ERROR, "Error creating topic t for sink: Unknown topic config name: x",
                new KafkaException("Unknown topic config name: x"));
        assertThat(KafkaFailures.describe(error)).isEqualTo("kafka: Error creating topic t for sink: Unknown topic config name: x");
        assertThat(KafkaFailures.describe(new KafkaException(ERROR_STATE, new TimeoutException("Expiring 3 record(s)"))))
                .isEqualTo("kafka: " + ERROR_STATE + ": Expiring 3 record(s)");
    }
}
