package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.value.Row;
import java.util.Iterator;
import java.util.List;

/** The outcome of executing one statement. */
public sealed interface StatementResult {
    /**
     * Rows, streamed to the client as they are pulled from {@code rows}. {@code commandTag} is e.g.
     * {@code SELECT} (pgwire appends the row count) or {@code SHOW}. {@code onClose} releases what the
     * iterator holds; pgwire calls it once, however the portal ends.
     */
    record Rows(List<ResultColumn> columns, Iterator<Row> rows, String commandTag, Runnable onClose) implements StatementResult {
        public Rows {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(rows, "rows is null");
            requireNonNull(commandTag, "commandTag is null");
            requireNonNull(onClose, "onClose is null");
        }
    }

    /** A statement without rows; {@code commandTag} is complete, e.g. {@code INSERT 0 3}. */
    record Command(String commandTag) implements StatementResult {
        public Command {
            requireNonNull(commandTag, "commandTag is null");
        }
    }

    /**
     * {@code COPY … FROM STDIN}: pgwire answers CopyInResponse for {@code columns} text-format columns, hands the
     * payload of every CopyData to {@code receiver} in order, and at CopyDone sends the command tag
     * {@link CopyReceiver#done()} returns. A CopyFail, a failure of the receiver or any other message ends
     * the copy with an error, and {@link CopyReceiver#abort()} is called. Only a simple query may start
     * one (as psql's {@code \copy} and pgJDBC's {@code CopyManager} do).
     */
    record CopyIn(int columns, CopyReceiver receiver) implements StatementResult {
        public CopyIn {
            requireNonNull(receiver, "receiver is null");
        }
    }

    /**
     * {@code COPY … TO STDOUT}: pgwire answers CopyOutResponse for {@code columns} text-format columns, sends the
     * {@code header} line if there is one and then each element of {@code rows} (one row, already in COPY's format)
     * as a CopyData, then CopyDone and {@code COPY n} for the n rows. {@code onClose} releases what the iterator
     * holds; pgwire calls it once. Only a simple query may start one.
     */
    record CopyOut(int columns, java.util.Optional<byte[]> header, Iterator<byte[]> rows, Runnable onClose) implements StatementResult {
        public CopyOut {
            requireNonNull(header, "header is null");
            requireNonNull(rows, "rows is null");
            requireNonNull(onClose, "onClose is null");
        }
    }

    /** An empty query string. */
    record EmptyQuery() implements StatementResult {
    }
}
