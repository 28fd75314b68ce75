package dev.sluice.pgwire.internal;

import dev.sluice.common.error.Notice;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.PgTypes;
import dev.sluice.pgwire.ResultColumn;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Encodes backend messages (PostgreSQL 15 protocol, "Message Formats") by appending them to a
 * buffer: type byte, Int32 length including itself, body. Strings are UTF-8 and NUL-terminated.
 */
final class MessageWriter {
    private MessageWriter() {
    }

    static void message(ByteBuf out, char type, Consumer<ByteBuf> body) {
        out.writeByte(type);
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        body.accept(out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
    }

    static void string(ByteBuf out, String value) {
        out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.writeByte(0);
    }

    static void authenticationOk(ByteBuf out) {
        message(out, 'R', body -> body.writeInt(0));
    }

    static void parameterStatus(ByteBuf out, String name, String value) {
        message(out, 'S', body -> {
            string(body, name);
            string(body, value);
        });
    }

    static void parameterStatuses(ByteBuf out, Map<String, String> statuses) {
        statuses.forEach((name, value) -> parameterStatus(out, name, value));
    }

    static void backendKeyData(ByteBuf out, int processId, int secretKey) {
        message(out, 'K', body -> {
            body.writeInt(processId);
            body.writeInt(secretKey);
        });
    }

    /** Sent when the client asked for a newer minor version or for {@code _pq_.} options. */
    static void negotiateProtocolVersion(ByteBuf out, int newestVersion, List<String> unrecognizedOptions) {
        message(out, 'v', body -> {
            body.writeInt(newestVersion);
            body.writeInt(unrecognizedOptions.size());
            unrecognizedOptions.forEach(option -> string(body, option));
        });
    }

    static void readyForQuery(ByteBuf out, char status) {
        message(out, 'Z', body -> body.writeByte(status));
    }

    /** {@code formats} has zero entries (all text), one (for all columns) or one per column. */
    static void rowDescription(ByteBuf out, List<ResultColumn> columns, short[] formats) {
        message(out, 'T', body -> {
            body.writeShort(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                ResultColumn column = columns.get(i);
                string(body, column.name());
                body.writeInt(column.tableOid());
                body.writeShort(column.columnAttribute());
                body.writeInt(column.type().oid());
                body.writeShort(PgTypes.typeLength(column.type()));
                body.writeInt(PgTypes.typeModifier(column.type()));
                body.writeShort(formatOf(formats, i));
            }
        });
    }

    static short formatOf(short[] formats, int index) {
        if (formats.length == 0) {
            return 0;
        }
        return formats.length == 1 ? formats[0] : formats[index];
    }

    /** {@code values} holds each column's encoded value, null for SQL NULL. */
    static void dataRow(ByteBuf out, byte[][] values) {
        message(out, 'D', body -> {
            body.writeShort(values.length);
            for (byte[] value : values) {
                if (value == null) {
                    body.writeInt(-1);
                } else {
                    body.writeInt(value.length);
                    body.writeBytes(value);
                }
            }
        });
    }

    /** CopyInResponse: text format overall and for each of {@code columns} columns. */
    static void copyInResponse(ByteBuf out, int columns) {
        copyResponse(out, 'G', columns);
    }

    /** CopyOutResponse: text format overall and for each of {@code columns} columns. */
    static void copyOutResponse(ByteBuf out, int columns) {
        copyResponse(out, 'H', columns);
    }

    private static void copyResponse(ByteBuf out, char type, int columns) {
        message(out, type, body -> {
            body.writeByte(0);
            body.writeShort(columns);
            for (int i = 0; i < columns; i++) {
                body.writeShort(0);
            }
        });
    }

    static void copyData(ByteBuf out, byte[] data) {
        message(out, 'd', body -> body.writeBytes(data));
    }

    static void copyDone(ByteBuf out) {
        empty(out, 'c');
    }

    static void commandComplete(ByteBuf out, String tag) {
        message(out, 'C', body -> string(body, tag));
    }

    static void parseComplete(ByteBuf out) {
        empty(out, '1');
    }

    static void bindComplete(ByteBuf out) {
        empty(out, '2');
    }

    static void closeComplete(ByteBuf out) {
        empty(out, '3');
    }

    static void noData(ByteBuf out) {
        empty(out, 'n');
    }

    static void emptyQueryResponse(ByteBuf out) {
        empty(out, 'I');
    }

    static void portalSuspended(ByteBuf out) {
        empty(out, 's');
    }

    private static void empty(ByteBuf out, char type) {
        message(out, type, body -> {
        });
    }

    static void parameterDescription(ByteBuf out, List<Integer> oids) {
        message(out, 't', body -> {
            body.writeShort(oids.size());
            oids.forEach(body::writeInt);
        });
    }

    /** {@code severity} is ERROR for statement errors, FATAL when the connection closes next. */
    static void errorResponse(ByteBuf out, SluiceException error, String severity) {
        message(out, 'E', body -> {
            field(body, 'S', severity);
            field(body, 'V', severity);
            field(body, 'C', error.sqlState());
            field(body, 'M', error.getMessage());
            error.detail().ifPresent(detail -> field(body, 'D', detail));
            error.hint().ifPresent(hint -> field(body, 'H', hint));
            error.position().ifPresent(position -> field(body, 'P', Integer.toString(position)));
            body.writeByte(0);
        });
    }

    static void noticeResponse(ByteBuf out, Notice notice) {
        message(out, 'N', body -> {
            field(body, 'S', notice.severity().name());
            field(body, 'V', notice.severity().name());
            field(body, 'C', notice.code().sqlState());
            field(body, 'M', notice.message());
            notice.detail().ifPresent(detail -> field(body, 'D', detail));
            notice.hint().ifPresent(hint -> field(body, 'H', hint));
            body.writeByte(0);
        });
    }

    private static void field(ByteBuf out, char type, String value) {
        out.writeByte(type);
        string(out, value);
    }
}
