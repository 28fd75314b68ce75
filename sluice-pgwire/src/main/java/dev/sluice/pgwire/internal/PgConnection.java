package dev.sluice.pgwire.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgBinary;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.pgwire.PgSession;
import dev.sluice.pgwire.PgSessionFactory;
import dev.sluice.pgwire.PreparedStatement;
import dev.sluice.pgwire.ResultColumn;
import dev.sluice.pgwire.StartupInfo;
import dev.sluice.pgwire.StatementResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one connection after startup: named statements and portals, the
 * extended-protocol error mode, and the streaming of results with back-pressure. All methods run
 * on the connection's own worker thread, one message at a time.
 */
final class PgConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
    private static final int PROTOCOL_3 = 196_608;

    private final Channel channel;
    private final PgSession session;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private boolean ignoreTillSync;
    private boolean extendedFailed;

    /** A bound statement, possibly partly executed. */
    private static final class Portal {
        final PreparedStatement statement;
        final List<Object> parameters;
        final short[] resultFormats;
        StatementResult.Rows rows;
        long rowsSent;
        boolean done;
        String doneTag;

        Portal(PreparedStatement statement, List<Object> parameters, short[] resultFormats) {
            this.statement = statement;
            this.parameters = parameters;
            this.resultFormats = resultFormats;
        }

        void close() {
            if (rows != null) {
                rows.onClose().run();
                rows = null;
            }
        }
    }

    private PgConnection(Channel channel, PgSession session) {
        this.channel = channel;
        this.session = session;
    }

    /** Handles the StartupMessage: returns the connection, or null after sending an error. */
    static PgConnection start(Channel channel, byte[] payload, PgSessionFactory factory, int processId, int secretKey) {
        MessageReader reader = new MessageReader(payload);
        int version = reader.int32();
        if (version != PROTOCOL_3) {
            fatal(channel, SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol %d.%d: server supports 3.0",
                    version >> 16, version & 0xffff));
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (reader.hasRemaining()) {
            String name = reader.string();
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, reader.string());
        }
        String user = parameters.getOrDefault("user", "materialize");
        String database = parameters.getOrDefault("database", user);
        PgSession session;
        try {
            session = factory.open(new StartupInfo(user, database, parameters));
        } catch (SluiceException e) {
            fatal(channel, e);
            return null;
        } catch (RuntimeException e) {
            LOG.error("opening a session failed", e);
            fatal(channel, SluiceException.internal(e));
            return null;
        }
        channel.write(MessageWriter.authenticationOk(channel.alloc()));
        session.parameterStatuses().forEach((name, value) -> channel.write(MessageWriter.parameterStatus(channel.alloc(), name, value)));
        channel.write(MessageWriter.backendKeyData(channel.alloc(), processId, secretKey));
        channel.writeAndFlush(MessageWriter.readyForQuery(channel.alloc(), session.transactionStatus().indicator()));
        return new PgConnection(channel, session);
    }

    private static void fatal(Channel channel, SluiceException error) {
        channel.writeAndFlush(MessageWriter.error(channel.alloc(), error, "FATAL")).addListener(future -> channel.close());
    }

    PgSession session() {
        return session;
    }

    /** Processes one message; returns false when the connection must close. */
    boolean handle(Frame frame) {
        char type = frame.type();
        if (type == 'X') {
            return false;
        }
        if (ignoreTillSync && type != 'S') {
            return true;
        }
        try {
            switch (type) {
                case 'Q' -> simpleQuery(new MessageReader(frame.payload()).string());
                case 'P' -> parse(new MessageReader(frame.payload()));
                case 'B' -> bind(new MessageReader(frame.payload()));
                case 'D' -> describe(new MessageReader(frame.payload()));
                case 'E' -> execute(new MessageReader(frame.payload()));
                case 'C' -> close(new MessageReader(frame.payload()));
                case 'S' -> sync();
                case 'H' -> channel.flush();
                case 'd', 'c', 'f' -> { // COPY data outside COPY: ignored as PostgreSQL does
                }
                default -> throw MessageReader.violation("invalid frontend message type " + (int) type);
            }
        } catch (SluiceException e) {
            if (e.code() == ErrorCode.PROTOCOL_VIOLATION) {
                sendError(e);
                channel.flush();
                return false;
            }
            extendedError(e);
        } catch (RuntimeException e) {
            LOG.error("statement failed unexpectedly", e);
            extendedError(SluiceException.internal(e));
        }
        return true;
    }

    private void extendedError(SluiceException error) {
        sendError(error);
        ignoreTillSync = true;
        extendedFailed = true;
    }

    private void sendError(SluiceException error) {
        channel.write(MessageWriter.error(channel.alloc(), error, "ERROR"));
    }

    private void simpleQuery(String sql) {
        ignoreTillSync = false;
        boolean failed = false;
        try {
            List<String> texts = session.splitStatements(sql);
            if (texts.isEmpty()) {
                channel.write(MessageWriter.empty(channel.alloc(), 'I'));
            }
            for (String text : texts) {
                PreparedStatement statement = session.prepare(text, List.of());
                StatementResult result = session.execute(statement, List.of(), this::notice);
                Portal portal = new Portal(statement, List.of(), new short[0]);
                if (result instanceof StatementResult.Rows rows) {
                    channel.write(MessageWriter.rowDescription(channel.alloc(), rows.columns(), new short[0]));
                }
                sendResult(portal, result, 0);
                sendParameterChanges();
            }
        } catch (SluiceException e) {
            failed = true;
            sendError(e);
        } catch (RuntimeException e) {
            failed = true;
            LOG.error("statement failed unexpectedly", e);
            sendError(SluiceException.internal(e));
        }
        session.endOfCommand(failed);
        sendParameterChanges();
        channel.writeAndFlush(MessageWriter.readyForQuery(channel.alloc(), session.transactionStatus().indicator()));
    }

    private void sendParameterChanges() {
        session.changedParameterStatuses().forEach((name, value) -> channel.write(MessageWriter.parameterStatus(channel.alloc(), name, value)));
    }

    private void notice(dev.sluice.common.error.Notice notice) {
        channel.write(MessageWriter.notice(channel.alloc(), notice));
    }

    private void parse(MessageReader reader) {
        String name = reader.string();
        String sql = reader.string();
        int count = reader.int16();
        List<Integer> oids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            oids.add(reader.int32());
        }
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw SluiceException.of(ErrorCode.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"%s\" already exists", name);
        }
        PreparedStatement statement = session.prepare(sql, oids);
        statements.put(name, statement);
        channel.write(MessageWriter.empty(channel.alloc(), '1'));
    }

    private void bind(MessageReader reader) {
        String portalName = reader.string();
        String statementName = reader.string();
        PreparedStatement statement = statements.get(statementName);
        if (statement == null) {
            throw SluiceException.of(ErrorCode.INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist", statementName);
        }
        short[] parameterFormats = new short[reader.int16()];
        for (int i = 0; i < parameterFormats.length; i++) {
            parameterFormats[i] = reader.int16();
        }
        int count = reader.int16();
        List<SqlType> types = statement.parameterTypes();
        if (count != types.size()) {
            throw SluiceException.of(ErrorCode.PROTOCOL_VIOLATION, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
                    count, statementName, types.size());
        }
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = reader.int32();
            if (length < 0) {
                parameters.add(null);
                continue;
            }
            byte[] bytes = reader.bytes(length);
            short format = parameterFormats.length == 0 ? 0 : parameterFormats.length == 1 ? parameterFormats[0] : parameterFormats[i];
            parameters.add(format == 1 ? PgBinary.decode(types.get(i), bytes) : PgText.parse(types.get(i), new String(bytes, StandardCharsets.UTF_8)));
        }
        short[] resultFormats = new short[reader.int16()];
        for (int i = 0; i < resultFormats.length; i++) {
            resultFormats[i] = reader.int16();
        }
        Portal previous = portals.remove(portalName);
        if (previous != null) {
            previous.close();
        }
        portals.put(portalName, new Portal(statement, parameters, resultFormats));
        channel.write(MessageWriter.empty(channel.alloc(), '2'));
    }

    private void describe(MessageReader reader) {
        byte kind = reader.bytes(1)[0];
        String name = reader.string();
        if (kind == 'S') {
            PreparedStatement statement = statements.get(name);
            if (statement == null) {
                throw SluiceException.of(ErrorCode.INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist", name);
            }
            channel.write(MessageWriter.parameterDescription(channel.alloc(), statement.parameterTypes().stream().map(SqlType::oid).toList()));
            describeColumns(statement.resultColumns(), new short[0]);
            return;
        }
        Portal portal = portals.get(name);
        if (portal == null) {
            throw SluiceException.of(ErrorCode.INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
        }
        describeColumns(portal.statement.resultColumns(), portal.resultFormats);
    }

    private void describeColumns(Optional<List<ResultColumn>> columns, short[] formats) {
        if (columns.isPresent()) {
            channel.write(MessageWriter.rowDescription(channel.alloc(), columns.get(), formats));
        } else {
            channel.write(MessageWriter.empty(channel.alloc(), 'n'));
        }
    }

    private void execute(MessageReader reader) {
        String name = reader.string();
        int maxRows = reader.int32();
        Portal portal = portals.get(name);
        if (portal == null) {
            throw SluiceException.of(ErrorCode.INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
        }
        if (portal.done) {
            channel.write(MessageWriter.commandComplete(channel.alloc(), portal.doneTag));
            return;
        }
        StatementResult result = portal.rows != null ? portal.rows : session.execute(portal.statement, portal.parameters, this::notice);
        sendResult(portal, result, maxRows);
        sendParameterChanges();
    }

    private void sendResult(Portal portal, StatementResult result, int maxRows) {
        if (result instanceof StatementResult.Command command) {
            finish(portal, command.commandTag());
            return;
        }
        if (result instanceof StatementResult.EmptyQuery) {
            portal.done = true;
            portal.doneTag = "";
            channel.write(MessageWriter.empty(channel.alloc(), 'I'));
            return;
        }
        StatementResult.Rows rows = (StatementResult.Rows) result;
        portal.rows = rows;
        try {
            List<ResultColumn> columns = rows.columns();
            long sentNow = 0;
            while (rows.rows().hasNext()) {
                if (maxRows > 0 && sentNow >= maxRows) {
                    channel.write(MessageWriter.empty(channel.alloc(), 's'));
                    return;
                }
                Row row = rows.rows().next();
                byte[][] values = new byte[columns.size()][];
                for (int i = 0; i < values.length; i++) {
                    Object value = row.get(i);
                    if (value == null) {
                        continue;
                    }
                    SqlType type = columns.get(i).type();
                    short format = portal.resultFormats.length == 0 ? 0 : portal.resultFormats.length == 1 ? portal.resultFormats[0] : portal.resultFormats[i];
                    values[i] = format == 1 ? PgBinary.encode(type, value) : PgText.format(type, value).getBytes(StandardCharsets.UTF_8);
                }
                channel.write(MessageWriter.dataRow(channel.alloc(), values));
                sentNow++;
                portal.rowsSent++;
                awaitWritable();
            }
        } catch (RuntimeException e) {
            portal.close();
            portal.done = true;
            throw e;
        }
        String tag = rows.commandTag().equals("SELECT") || rows.commandTag().equals("FETCH")
                ? rows.commandTag() + " " + portal.rowsSent : rows.commandTag();
        portal.close();
        finish(portal, tag);
    }

    private void finish(Portal portal, String tag) {
        portal.done = true;
        portal.doneTag = tag;
        channel.write(MessageWriter.commandComplete(channel.alloc(), tag));
    }

    /** Back-pressure: while the socket buffer is full, wait for the client to read. */
    private void awaitWritable() {
        if (channel.isWritable()) {
            return;
        }
        channel.flush();
        while (!channel.isWritable() && channel.isActive()) {
            synchronized (this) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SluiceException.of(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
                }
            }
        }
        if (!channel.isActive()) {
            throw SluiceException.of(ErrorCode.CONNECTION_FAILURE, "client disconnected");
        }
    }

    synchronized void writabilityChanged() {
        notifyAll();
    }

    private void close(MessageReader reader) {
        byte kind = reader.bytes(1)[0];
        String name = reader.string();
        if (kind == 'S') {
            statements.remove(name);
        } else {
            Portal portal = portals.remove(name);
            if (portal != null) {
                portal.close();
            }
        }
        channel.write(MessageWriter.empty(channel.alloc(), '3'));
    }

    private void sync() {
        ignoreTillSync = false;
        Portal unnamed = portals.remove("");
        if (unnamed != null) {
            unnamed.close();
        }
        session.endOfCommand(extendedFailed);
        extendedFailed = false;
        sendParameterChanges();
        channel.writeAndFlush(MessageWriter.readyForQuery(channel.alloc(), session.transactionStatus().indicator()));
    }

    void closeAll() {
        portals.values().forEach(Portal::close);
        portals.clear();
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("closing a session failed", e);
        }
    }

    static ByteBuf sslRefusal(Channel channel) {
        ByteBuf buffer = channel.alloc().buffer(1);
        buffer.writeByte('N');
        return buffer;
    }
}
