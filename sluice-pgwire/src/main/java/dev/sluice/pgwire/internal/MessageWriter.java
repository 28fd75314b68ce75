package dev.sluice.pgwire.internal;

import dev.sluice.common.error.Notice;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.PgTypes;
import dev.sluice.pgwire.ResultColumn;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds backend messages. */
final class MessageWriter {
    private MessageWriter() {
    }

    static ByteBuf message(ByteBufAllocator allocator, char type, java.util.function.Consumer<ByteBuf> body) {
        ByteBuf buffer = allocator.buffer();
        buffer.writeByte(type);
        int lengthIndex = buffer.writerIndex();
        buffer.writeInt(0);
        body.accept(buffer);
        buffer.setInt(lengthIndex, buffer.writerIndex() - lengthIndex);
        return buffer;
    }

    static void string(ByteBuf buffer, String value) {
        buffer.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        buffer.writeByte(0);
    }

    static ByteBuf authenticationOk(ByteBufAllocator allocator) {
        return message(allocator, 'R', b -> b.writeInt(0));
    }

    static ByteBuf parameterStatus(ByteBufAllocator allocator, String name, String value) {
        return message(allocator, 'S', b -> {
            string(b, name);
            string(b, value);
        });
    }

    static ByteBuf backendKeyData(ByteBufAllocator allocator, int processId, int secretKey) {
        return message(allocator, 'K', b -> {
            b.writeInt(processId);
            b.writeInt(secretKey);
        });
    }

    static ByteBuf readyForQuery(ByteBufAllocator allocator, char status) {
        return message(allocator, 'Z', b -> b.writeByte(status));
    }

    static ByteBuf rowDescription(ByteBufAllocator allocator, List<ResultColumn> columns, short[] formats) {
        return message(allocator, 'T', b -> {
            b.writeShort(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                ResultColumn column = columns.get(i);
                string(b, column.name());
                b.writeInt(column.tableOid());
                b.writeShort(column.columnAttribute());
                b.writeInt(column.type().oid());
                b.writeShort(PgTypes.typeLength(column.type()));
                b.writeInt(PgTypes.typeModifier(column.type()));
                b.writeShort(formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i]);
            }
        });
    }

    static ByteBuf dataRow(ByteBufAllocator allocator, byte[][] values) {
        return message(allocator, 'D', b -> {
            b.writeShort(values.length);
            for (byte[] value : values) {
                if (value == null) {
                    b.writeInt(-1);
                } else {
                    b.writeInt(value.length);
                    b.writeBytes(value);
                }
            }
        });
    }

    static ByteBuf commandComplete(ByteBufAllocator allocator, String tag) {
        return message(allocator, 'C', b -> string(b, tag));
    }

    static ByteBuf empty(ByteBufAllocator allocator, char type) {
        return message(allocator, type, b -> {
        });
    }

    static ByteBuf parameterDescription(ByteBufAllocator allocator, List<Integer> oids) {
        return message(allocator, 't', b -> {
            b.writeShort(oids.size());
            oids.forEach(b::writeInt);
        });
    }

    static ByteBuf error(ByteBufAllocator allocator, SluiceException error, String severity) {
        return message(allocator, 'E', b -> {
            field(b, 'S', severity);
            field(b, 'V', severity);
            field(b, 'C', error.sqlState());
            field(b, 'M', error.getMessage());
            error.detail().ifPresent(detail -> field(b, 'D', detail));
            error.hint().ifPresent(hint -> field(b, 'H', hint));
            error.position().ifPresent(position -> field(b, 'P', Integer.toString(position)));
            b.writeByte(0);
        });
    }

    static ByteBuf notice(ByteBufAllocator allocator, Notice notice) {
        return message(allocator, 'N', b -> {
            field(b, 'S', notice.severity().name());
            field(b, 'V', notice.severity().name());
            field(b, 'C', notice.code().sqlState());
            field(b, 'M', notice.message());
            notice.detail().ifPresent(detail -> field(b, 'D', detail));
            notice.hint().ifPresent(hint -> field(b, 'H', hint));
            b.writeByte(0);
        });
    }

    private static void field(ByteBuf buffer, char type, String value) {
        buffer.writeByte(type);
        string(buffer, value);
    }
}
