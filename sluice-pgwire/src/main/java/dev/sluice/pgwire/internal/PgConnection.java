package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.Notice;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgBinary;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.pgwire.CopyReceiver;
import dev.sluice.pgwire.PgSession;
import dev.sluice.pgwire.PreparedStatement;
import dev.sluice.pgwire.ResultColumn;
import dev.sluice.pgwire.StatementResult;
import dev.sluice.pgwire.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one connection after startup: prepared statements and portals by name,
 * the extended protocol's error mode (after an error every message up to Sync is discarded), and the
 * streaming of results. Every method runs on the connection's serial executor, one message at a
 * time, so the state needs no locks.
 *
 * <p>Portals live until closed, replaced (the unnamed one, by the next Bind or simple query), or until
 * the session reports {@link TransactionStatus#IDLE} at a Sync or after a simple query: like
 * PostgreSQL's portals they do not outlive their transaction, and closing them releases what their
 * result iterator holds.
 */
final class PgConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
    private static final short TEXT = 0;
    private static final short BINARY = 1;
    /** Tags to which the row count is appended, as PostgreSQL does. */
    private static final Set<String> COUNTED_TAGS = Set.of("SELECT", "FETCH", "MOVE", "COPY");

    private final PgSession session;
    private final Output output;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    /** The COPY FROM STDIN in progress, and the statements of its simple query that follow it; null outside one. */
    private CopyInProgress copy;
    private boolean ignoreTillSync;
    private boolean failedSinceEndOfCommand;
    private boolean closed;

    private record CopyInProgress(CopyReceiver receiver, List<String> remaining) {
    }

    /** A bound statement; once executed it may hold a partly sent result. */
    private static final class Portal {
        final PreparedStatement statement;
        final List<Object> parameters;
        final short[] resultFormats;
        StatementResult.Rows rows;
        boolean done;
        String doneTag = "";

        Portal(PreparedStatement statement, List<Object> parameters, short[] resultFormats) {
            this.statement = statement;
            this.parameters = parameters;
            this.resultFormats = resultFormats;
        }

        void close() {
            StatementResult.Rows open = rows;
            rows = null;
            if (open != null) {
                try {
                    open.onClose().run();
                } catch (RuntimeException e) {
                    LOG.warn("releasing a result failed", e);
                }
            }
        }
    }

    PgConnection(PgSession session, Output output) {
        this.session = requireNonNull(session, "session is null");
        this.output = requireNonNull(output, "output is null");
    }

    PgSession session() {
        return session;
    }

    /** Processes one message; returns false when the connection must close (Terminate). */
    boolean handle(Frame frame) {
        char type = frame.type();
        if (type == 'X') {
            return false;
        }
        if (copy != null) {
            copyMessage(frame);
            return true;
        }
        if (ignoreTillSync && type != 'S') {
            return true;
        }
        switch (type) {
            case 'Q' -> simpleQuery(frame);
            case 'S' -> sync();
            case 'H' -> output.flush();
            case 'P', 'B', 'D', 'E', 'C' -> extended(frame);
            case 'F' -> {
                sendError(SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "the function call protocol is not supported"));
                endCommand();
            }
            default -> {
                // CopyData, CopyDone and CopyFail outside COPY are ignored, as PostgreSQL does; the
                // decoder lets no other type through.
            }
        }
        return true;
    }

    private void extended(Frame frame) {
        try {
            MessageReader reader = new MessageReader(frame.payload());
            switch (frame.type()) {
                case 'P' -> parse(reader);
                case 'B' -> bind(reader);
                case 'D' -> describe(reader);
                case 'E' -> execute(reader);
                case 'C' -> close(reader);
                default -> throw new IllegalStateException("not an extended-protocol message: " + frame.type());
            }
        } catch (RuntimeException e) {
            sendError(e);
            ignoreTillSync = true;
        }
    }

    private void sendError(RuntimeException failure) {
        failedSinceEndOfCommand = true;
        output.send(out -> MessageWriter.errorResponse(out, toSluiceException(failure), "ERROR"));
    }

    static SluiceException toSluiceException(RuntimeException failure) {
        if (failure instanceof SluiceException sluiceException) {
            return sluiceException;
        }
        LOG.error("unexpected failure in a pgwire session", failure);
        return SluiceException.internal(failure);
    }

    private void notice(Notice notice) {
        output.send(out -> MessageWriter.noticeResponse(out, notice));
    }

    private void sendParameterChanges() {
        Map<String, String> changed = session.changedParameterStatuses();
        if (!changed.isEmpty()) {
            output.send(out -> MessageWriter.parameterStatuses(out, changed));
        }
    }

    // ---- simple query

    private void simpleQuery(Frame frame) {
        try {
            String sql = new MessageReader(frame.payload()).string();
            // Like PostgreSQL, a simple query replaces the unnamed statement and portal.
            statements.remove("");
            closePortal("");
            List<String> texts = session.splitStatements(sql);
            if (texts.isEmpty()) {
                output.send(MessageWriter::emptyQueryResponse);
            }
            if (runStatements(texts)) {
                return;
            }
        } catch (RuntimeException e) {
            sendError(e);
        }
        endCommand();
    }

    /**
     * Runs a simple query's statements in order; returns true when one of them started a COPY FROM STDIN, which then
     * holds the rest of them (and ReadyForQuery) until its data is complete.
     */
    private boolean runStatements(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            PreparedStatement statement = session.prepare(texts.get(i), List.of());
            if (!statement.parameterTypes().isEmpty()) {
                throw SluiceException.of(ErrorCode.UNDEFINED_PARAMETER, "there is no parameter $1");
            }
            Portal portal = new Portal(statement, List.of(), new short[0]);
            try {
                StatementResult result = session.execute(statement, List.of(), this::notice);
                if (result instanceof StatementResult.CopyIn copyIn) {
                    copy = new CopyInProgress(copyIn.receiver(), List.copyOf(texts.subList(i + 1, texts.size())));
                    output.send(out -> MessageWriter.copyInResponse(out, copyIn.columns()));
                    output.flush();
                    return true;
                }
                if (result instanceof StatementResult.CopyOut copyOut) {
                    copyOut(copyOut);
                } else {
                    if (result instanceof StatementResult.Rows rows) {
                        output.send(out -> MessageWriter.rowDescription(out, rows.columns(), portal.resultFormats));
                    }
                    sendResult(portal, result, 0);
                }
            } finally {
                portal.close();
            }
            sendParameterChanges();
        }
        return false;
    }

    // ---- COPY TO STDOUT

    /** Streams a COPY TO STDOUT; a failure while rows are sent ends it with an ErrorResponse, as in PostgreSQL. */
    private void copyOut(StatementResult.CopyOut copyOut) {
        try {
            output.send(out -> MessageWriter.copyOutResponse(out, copyOut.columns()));
            copyOut.header().ifPresent(header -> output.send(out -> MessageWriter.copyData(out, header)));
            long sent = 0;
            while (copyOut.rows().hasNext()) {
                byte[] row = copyOut.rows().next();
                output.send(out -> MessageWriter.copyData(out, row));
                sent++;
                output.awaitWritable();
            }
            long count = sent;
            output.send(MessageWriter::copyDone);
            output.send(out -> MessageWriter.commandComplete(out, "COPY " + count));
        } finally {
            copyOut.onClose().run();
        }
    }

    // ---- COPY FROM STDIN

    /**
     * A message while a COPY FROM STDIN runs: data, its end, or its failure. As in PostgreSQL, Flush and Sync are
     * ignored, anything else ends the copy with an error, and after an error the client's remaining copy messages
     * are dropped (see {@link #handle}).
     */
    private void copyMessage(Frame frame) {
        CopyInProgress current = copy;
        switch (frame.type()) {
            case 'd' -> {
                try {
                    current.receiver().data(frame.payload());
                } catch (RuntimeException e) {
                    endCopyWithError(e);
                }
            }
            case 'c' -> {
                try {
                    String tag = current.receiver().done();
                    copy = null;
                    output.send(out -> MessageWriter.commandComplete(out, tag));
                    sendParameterChanges();
                    if (runStatements(current.remaining())) {
                        return;
                    }
                } catch (RuntimeException e) {
                    copy = null;
                    sendError(e);
                }
                endCommand();
            }
            case 'f' -> endCopyWithError(SluiceException.of(ErrorCode.QUERY_CANCELED, "COPY from stdin failed: %s",
                    new MessageReader(frame.payload()).string()));
            case 'H', 'S' -> {
            }
            default -> endCopyWithError(SluiceException.of(ErrorCode.PROTOCOL_VIOLATION,
                    "unexpected message type 0x%02X during COPY from stdin", (int) frame.type()));
        }
    }

    private void endCopyWithError(RuntimeException failure) {
        CopyInProgress current = copy;
        copy = null;
        abort(current);
        sendError(failure);
        endCommand();
    }

    private static void abort(CopyInProgress copy) {
        try {
            copy.receiver().abort();
        } catch (RuntimeException e) {
            LOG.warn("aborting a COPY failed", e);
        }
    }

    // ---- extended query

    private void parse(MessageReader reader) {
        String name = reader.string();
        String sql = reader.string();
        int count = reader.uint16();
        List<Integer> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(reader.int32());
        }
        reader.end();
        if (name.isEmpty()) {
            statements.remove("");
        } else if (statements.containsKey(name)) {
            throw SluiceException.of(ErrorCode.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"%s\" already exists", name);
        }
        PreparedStatement statement = requireNonNull(session.prepare(sql, oids), "session returned no prepared statement");
        statements.put(name, statement);
        output.send(MessageWriter::parseComplete);
    }

    private PreparedStatement statement(String name) {
        PreparedStatement statement = statements.get(name);
        if (statement == null) {
            throw name.isEmpty()
                    ? SluiceException.of(ErrorCode.INVALID_SQL_STATEMENT_NAME, "unnamed prepared statement does not exist")
                    : SluiceException.of(ErrorCode.INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist", name);
        }
        return statement;
    }

    private void bind(MessageReader reader) {
        String portalName = reader.string();
        String statementName = reader.string();
        short[] parameterFormats = formatCodes(reader);
        int count = reader.uint16();
        PreparedStatement statement = statement(statementName);
        if (parameterFormats.length > 1 && parameterFormats.length != count) {
            throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "bind message has %d parameter formats but %d parameters",
                    parameterFormats.length, count);
        }
        List<SqlType> types = statement.parameterTypes();
        if (count != types.size()) {
            throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
                    count, statementName, types.size());
        }
        List<Object> parameters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = reader.int32();
            if (length < 0) {
                parameters.add(null);
                continue;
            }
            byte[] bytes = reader.bytes(length);
            SqlType type = types.get(i);
            parameters.add(MessageWriter.formatOf(parameterFormats, i) == BINARY
                    ? PgBinary.decode(type, bytes)
                    : PgText.parse(type, new String(bytes, StandardCharsets.UTF_8)));
        }
        short[] resultFormats = formatCodes(reader);
        reader.end();
        Optional<List<ResultColumn>> columns = statement.resultColumns();
        if (columns.isPresent()) {
            checkResultFormats(columns.get(), resultFormats);
        }
        if (portalName.isEmpty()) {
            closePortal("");
        } else if (portals.containsKey(portalName)) {
            throw SluiceException.of(ErrorCode.DUPLICATE_CURSOR, "cursor \"%s\" already exists", portalName);
        }
        portals.put(portalName, new Portal(statement, parameters, resultFormats));
        output.send(MessageWriter::bindComplete);
    }

    /** Reads a count and that many format codes, each of which must be text (0) or binary (1). */
    private static short[] formatCodes(MessageReader reader) {
        short[] formats = new short[reader.uint16()];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = reader.int16();
            if (formats[i] != TEXT && formats[i] != BINARY) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "unsupported format code: %d", formats[i]);
            }
        }
        return formats;
    }

    private static void checkResultFormats(List<ResultColumn> columns, short[] formats) {
        if (formats.length > 1 && formats.length != columns.size()) {
            throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "bind message has %d result formats but query has %d columns",
                    formats.length, columns.size());
        }
        for (int i = 0; i < columns.size(); i++) {
            SqlType type = columns.get(i).type();
            if (MessageWriter.formatOf(formats, i) == BINARY && !PgBinary.isEncodable(type)) {
                throw SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "no binary output function available for type %s", type.displayName());
            }
        }
    }

    private void describe(MessageReader reader) {
        byte kind = reader.int8();
        String name = reader.string();
        reader.end();
        if (kind == 'S') {
            PreparedStatement statement = statement(name);
            List<Integer> oids = statement.parameterTypes().stream().map(SqlType::oid).toList();
            output.send(out -> MessageWriter.parameterDescription(out, oids));
            describeColumns(statement.resultColumns(), new short[0]);
            return;
        }
        if (kind == 'P') {
            describeColumns(portal(name).statement.resultColumns(), portal(name).resultFormats);
            return;
        }
        throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "invalid DESCRIBE message subtype %d", kind);
    }

    private void describeColumns(Optional<List<ResultColumn>> columns, short[] formats) {
        if (columns.isPresent()) {
            output.send(out -> MessageWriter.rowDescription(out, columns.get(), formats));
        } else {
            output.send(MessageWriter::noData);
        }
    }

    private Portal portal(String name) {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw SluiceException.of(ErrorCode.INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
        }
        return portal;
    }

    private void execute(MessageReader reader) {
        String name = reader.string();
        int maxRows = reader.int32();
        reader.end();
        Portal portal = portal(name);
        if (portal.done) {
            // Running a finished portal again yields no rows, as in PostgreSQL.
            output.send(out -> MessageWriter.commandComplete(out, portal.doneTag));
            return;
        }
        try {
            StatementResult result = portal.rows != null ? portal.rows : session.execute(portal.statement, portal.parameters, this::notice);
            if (result instanceof StatementResult.CopyOut copyOut) {
                copyOut.onClose().run();
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY TO STDOUT is supported in a simple query only")
                        .withHint("Send it as a simple query, as psql's \\copy and pgJDBC's CopyManager do.");
            }
            if (result instanceof StatementResult.CopyIn copyIn) {
                copyIn.receiver().abort();
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY FROM STDIN is supported in a simple query only")
                        .withHint("Send it as a simple query, as psql's \\copy and pgJDBC's CopyManager do.");
            }
            sendResult(portal, result, maxRows);
        } catch (RuntimeException e) {
            // A failed portal cannot be resumed: drop it, as its result may be half consumed.
            portals.remove(name);
            portal.close();
            throw e;
        }
        sendParameterChanges();
    }

    private void close(MessageReader reader) {
        byte kind = reader.int8();
        String name = reader.string();
        reader.end();
        if (kind == 'S') {
            statements.remove(name);
        } else if (kind == 'P') {
            closePortal(name);
        } else {
            throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "invalid CLOSE message subtype %d", kind);
        }
        output.send(MessageWriter::closeComplete);
    }

    private void closePortal(String name) {
        Portal portal = portals.remove(name);
        if (portal != null) {
            portal.close();
        }
    }

    private void sync() {
        ignoreTillSync = false;
        endCommand();
    }

    /** End of a simple query or Sync: let the session end its implicit transaction, then ReadyForQuery. */
    private void endCommand() {
        try {
            session.endOfCommand(failedSinceEndOfCommand);
        } catch (RuntimeException e) {
            sendError(e);
        }
        failedSinceEndOfCommand = false;
        try {
            sendParameterChanges();
            TransactionStatus status = session.transactionStatus();
            if (status == TransactionStatus.IDLE) {
                closeAllPortals();
            }
            output.send(out -> MessageWriter.readyForQuery(out, indicator(status)));
        } catch (RuntimeException e) {
            sendError(e);
            output.send(out -> MessageWriter.readyForQuery(out, 'E'));
        }
        output.flush();
    }

    static char indicator(TransactionStatus status) {
        return switch (status) {
            case IDLE -> 'I';
            case IN_TRANSACTION -> 'T';
            case FAILED -> 'E';
        };
    }

    // ---- results

    /**
     * Sends the result of executing {@code portal}: for rows, DataRows until {@code maxRows} (0 = all)
     * then PortalSuspended, or CommandComplete at the end. The result stays open in the portal while
     * suspended.
     */
    private void sendResult(Portal portal, StatementResult result, int maxRows) {
        if (result instanceof StatementResult.Command command) {
            finish(portal, command.commandTag(), command.commandTag());
            return;
        }
        if (result instanceof StatementResult.EmptyQuery) {
            portal.done = true;
            output.send(MessageWriter::emptyQueryResponse);
            return;
        }
        StatementResult.Rows rows = (StatementResult.Rows) result;
        portal.rows = rows;
        List<ResultColumn> columns = rows.columns();
        boolean[] binary = new boolean[columns.size()];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = MessageWriter.formatOf(portal.resultFormats, i) == BINARY;
        }
        long sent = 0;
        while (rows.rows().hasNext()) {
            if (maxRows > 0 && sent >= maxRows) {
                output.send(MessageWriter::portalSuspended);
                return;
            }
            byte[][] values = encode(rows.rows().next(), columns, binary);
            output.send(out -> MessageWriter.dataRow(out, values));
            sent++;
            output.awaitWritable();
        }
        portal.close();
        finish(portal, commandTag(rows.commandTag(), sent), commandTag(rows.commandTag(), 0));
    }

    /** The row count of the Execute that finished the result, as PostgreSQL reports it. */
    static String commandTag(String tag, long rowCount) {
        return COUNTED_TAGS.contains(tag) ? tag + " " + rowCount : tag;
    }

    private static byte[][] encode(Row row, List<ResultColumn> columns, boolean[] binary) {
        if (row.size() != columns.size()) {
            throw new IllegalStateException("row has " + row.size() + " values for " + columns.size() + " columns");
        }
        byte[][] values = new byte[columns.size()][];
        for (int i = 0; i < values.length; i++) {
            Object value = row.get(i);
            if (value == null) {
                continue;
            }
            SqlType type = columns.get(i).type();
            values[i] = binary[i] ? PgBinary.encode(type, value) : PgText.format(type, value).getBytes(StandardCharsets.UTF_8);
        }
        return values;
    }

    /** {@code repeatTag} answers a later Execute of the finished portal. */
    private void finish(Portal portal, String tag, String repeatTag) {
        portal.done = true;
        portal.doneTag = repeatTag;
        output.send(out -> MessageWriter.commandComplete(out, tag));
    }

    private void closeAllPortals() {
        portals.values().forEach(Portal::close);
        portals.clear();
    }

    /** Releases everything; the connection is gone. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (copy != null) {
            abort(copy);
            copy = null;
        }
        closeAllPortals();
        statements.clear();
        output.discard();
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("closing a pgwire session failed", e);
        }
    }
}
