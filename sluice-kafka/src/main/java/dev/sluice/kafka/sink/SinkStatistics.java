package dev.sluice.kafka.sink;

import java.util.concurrent.atomic.AtomicLong;

/** A sink's monotonic counters (§10.1): staged = handed to the producer in an open transaction; committed = after commit. */
public final class SinkStatistics {
    final AtomicLong messagesStaged = new AtomicLong();
    final AtomicLong messagesCommitted = new AtomicLong();
    final AtomicLong bytesStaged = new AtomicLong();
    final AtomicLong bytesCommitted = new AtomicLong();

    /** Adds what an earlier run of the same sink counted (the server's store carries the counters over a restart). */
    public void carryOver(long messagesStagedBefore, long messagesCommittedBefore, long bytesStagedBefore, long bytesCommittedBefore) {
        messagesStaged.addAndGet(messagesStagedBefore);
        messagesCommitted.addAndGet(messagesCommittedBefore);
        bytesStaged.addAndGet(bytesStagedBefore);
        bytesCommitted.addAndGet(bytesCommittedBefore);
    }

    public long messagesStaged() {
        return messagesStaged.get();
    }

    public long messagesCommitted() {
        return messagesCommitted.get();
    }

    public long bytesStaged() {
        return bytesStaged.get();
    }

    public long bytesCommitted() {
        return bytesCommitted.get();
    }
}
