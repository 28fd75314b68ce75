package dev.sluice.pgwire;

import dev.sluice.common.error.Notice;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SQL side of one client connection. pgwire calls it from one thread at a time (except
 * {@link #cancel()}, which comes from another connection's thread) and owns the protocol:
 * statements and portals by name, parameter decoding and result encoding.
 */
public interface PgSession extends AutoCloseable {
    /** Sent as ParameterStatus messages after AuthenticationOk. */
    Map<String, String> parameterStatuses();

    /** ParameterStatus values that changed since the last call (e.g. after {@code SET application_name}). */
    Map<String, String> changedParameterStatuses();

    /** Splits a simple-query string into statement texts, in order (empty for an empty string). */
    List<String> splitStatements(String sql);

    /** Parse: {@code declaredParameterOids} has 0 for "unspecified". */
    PreparedStatement prepare(String sql, List<Integer> declaredParameterOids);

    /** Executes with parameters already decoded to Java values of {@link PreparedStatement#parameterTypes()}. */
    StatementResult execute(PreparedStatement statement, List<Object> parameters, Consumer<Notice> notices);

    /** Called at Sync of the extended protocol and after each simple query. */
    void endOfCommand(boolean failed);

    TransactionStatus transactionStatus();

    /** Asks the running statement to stop with 57014; may be called from any thread. */
    void cancel();

    @Override
    void close();
}
