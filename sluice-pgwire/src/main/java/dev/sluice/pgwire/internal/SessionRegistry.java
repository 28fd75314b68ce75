package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.pgwire.PgSession;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide state connections share: process ids and secret keys for CancelRequest (sent to
 * the client in BackendKeyData), and the count of connections against the limit. Thread-safe.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final int maxConnections;
    private final Executor cancelExecutor;
    private final AtomicInteger nextProcessId = new AtomicInteger(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    private record Entry(int secretKey, PgSession session) {
    }

    /** {@code cancelExecutor} runs {@link PgSession#cancel()}, so a slow cancel never holds an event loop. */
    public SessionRegistry(int maxConnections, Executor cancelExecutor) {
        this.maxConnections = maxConnections;
        this.cancelExecutor = requireNonNull(cancelExecutor, "cancelExecutor is null");
    }

    int nextProcessId() {
        return nextProcessId.getAndIncrement();
    }

    int newSecretKey() {
        return random.nextInt();
    }

    /** Takes a connection slot; false when the limit is reached (nothing taken then). */
    boolean tryAcquireConnection() {
        while (true) {
            int current = connections.get();
            if (current >= maxConnections) {
                return false;
            }
            if (connections.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseConnection() {
        connections.decrementAndGet();
    }

    void register(int processId, int secretKey, PgSession session) {
        sessions.put(processId, new Entry(secretKey, session));
    }

    void unregister(int processId) {
        sessions.remove(processId);
    }

    /** Cancels the session's running statement if the key matches; a wrong key is ignored silently, as PostgreSQL does. */
    void cancel(int processId, int secretKey) {
        Entry entry = sessions.get(processId);
        if (entry == null || entry.secretKey() != secretKey) {
            LOG.debug("ignoring cancel request for unknown process {}", processId);
            return;
        }
        cancelExecutor.execute(() -> {
            try {
                entry.session().cancel();
            } catch (RuntimeException e) {
                LOG.warn("cancelling session {} failed", processId, e);
            }
        });
    }

    /** Sessions that completed startup and are still connected. */
    public int sessionCount() {
        return sessions.size();
    }
}
