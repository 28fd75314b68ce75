package dev.sluice.pgwire;

import dev.sluice.common.error.Notice;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SQL side of one client connection; pgwire owns the protocol (statements and portals by name,
 * parameter decoding, result encoding, streaming).
 *
 * <p>Threading: pgwire calls every method from one thread at a time, in message order, never from
 * a Netty event loop, so implementations may block. The exception is {@link #cancel()}, which comes
 * from another thread while a call may be running.
 *
 * <p>Errors: a {@link dev.sluice.common.error.SluiceException} thrown from any method becomes an
 * ErrorResponse with its SQLSTATE, detail, hint and position; any other exception becomes XX000
 * "internal error: ..." and is logged with its stack trace.
 */
public interface PgSession extends AutoCloseable {
    /** Sent as ParameterStatus messages after AuthenticationOk, in iteration order. */
    Map<String, String> parameterStatuses();

    /**
     * ParameterStatus values that changed since the last call (e.g. after {@code SET application_name});
     * pgwire asks after every statement and reports them before the next CommandComplete's successor.
     */
    default Map<String, String> changedParameterStatuses() {
        return Map.of();
    }

    /** Splits a simple-query string into statement texts, in order (empty for an empty or blank string). */
    List<String> splitStatements(String sql);

    /** Parse: {@code declaredParameterOids} has one entry per declared parameter, 0 for "unspecified". */
    PreparedStatement prepare(String sql, List<Integer> declaredParameterOids);

    /**
     * Executes with parameters already decoded to the Java values of {@link PreparedStatement#parameterTypes()}
     * (null for SQL NULL). {@code notices} may be called until the call returns, and while the rows of a
     * {@link StatementResult.Rows} are pulled.
     */
    StatementResult execute(PreparedStatement statement, List<Object> parameters, Consumer<Notice> notices);

    /**
     * End of a command: after each simple query message and at each Sync of the extended protocol,
     * before ReadyForQuery. {@code failed} says whether an error was sent since the previous call; an
     * implicit transaction spanning the messages up to here is committed or rolled back by the session.
     */
    default void endOfCommand(boolean failed) {
    }

    /** Reported in every ReadyForQuery. */
    TransactionStatus transactionStatus();

    /** Asks the running statement to stop with 57014 query_canceled; called from another thread. */
    void cancel();

    /** The connection is gone; called once, after every other call has returned. */
    @Override
    void close();
}
