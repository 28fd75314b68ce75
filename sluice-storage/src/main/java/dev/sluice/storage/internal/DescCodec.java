package dev.sluice.storage.internal;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Binary encoding of relation descriptions for the log and checkpoints. */
public final class DescCodec {
    private DescCodec() {
    }

    public static void write(DataOutputStream out, RelationDesc desc) throws IOException {
        out.writeInt(desc.arity());
        for (Column column : desc.columns()) {
            RowCodec.writeString(out, column.name());
            writeType(out, column.type());
            out.writeBoolean(column.nullable());
        }
        out.writeInt(desc.uniqueKeys().size());
        for (List<Integer> key : desc.uniqueKeys()) {
            out.writeInt(key.size());
            for (int index : key) {
                out.writeInt(index);
            }
        }
    }

    public static RelationDesc read(DataInputStream in) throws IOException {
        int arity = in.readInt();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            columns.add(new Column(RowCodec.readString(in), readType(in), in.readBoolean()));
        }
        int keys = in.readInt();
        List<List<Integer>> uniqueKeys = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            int size = in.readInt();
            List<Integer> key = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                key.add(in.readInt());
            }
            uniqueKeys.add(key);
        }
        return new RelationDesc(columns, uniqueKeys);
    }

    private static void writeType(DataOutputStream out, SqlType type) throws IOException {
        RowCodec.writeString(out, type.kind().name());
        out.writeInt(type.precision());
        out.writeInt(type.scale());
        out.writeBoolean(type.element().isPresent());
        if (type.element().isPresent()) {
            writeType(out, type.element().get());
        }
    }

    private static SqlType readType(DataInputStream in) throws IOException {
        TypeKind kind = TypeKind.valueOf(RowCodec.readString(in));
        int precision = in.readInt();
        int scale = in.readInt();
        Optional<SqlType> element = in.readBoolean() ? Optional.of(readType(in)) : Optional.empty();
        return new SqlType(kind, precision, scale, element);
    }
}
