package dev.sluice.pgwire.internal;

import dev.sluice.pgwire.PgSession;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Process ids and secret keys of live sessions, for CancelRequest. Thread-safe. */
public final class CancelRegistry {
    private final AtomicInteger nextProcessId = new AtomicInteger(1);
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    private record Entry(int secretKey, PgSession session) {
    }

    int nextProcessId() {
        return nextProcessId.getAndIncrement();
    }

    int newSecretKey() {
        return random.nextInt();
    }

    void register(int processId, int secretKey, PgSession session) {
        sessions.put(processId, new Entry(secretKey, session));
    }

    void unregister(int processId) {
        sessions.remove(processId);
    }

    void cancel(int processId, int secretKey) {
        Entry entry = sessions.get(processId);
        if (entry != null && entry.secretKey() == secretKey) {
            entry.session().cancel();
        }
    }

    public int sessionCount() {
        return sessions.size();
    }
}
