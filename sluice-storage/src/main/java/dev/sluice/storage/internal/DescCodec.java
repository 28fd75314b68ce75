package dev.sluice.storage.internal;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Binary encoding of relation descriptions for the log and checkpoints. Types are stored by kind name. */
public final class DescCodec {
    private DescCodec() {
    }

    public static void write(DataOutput out, RelationDesc desc) throws IOException {
        RowCodec.writeVarLong(out, desc.arity());
        for (Column column : desc.columns()) {
            RowCodec.writeString(out, column.name());
            writeType(out, column.type());
            out.writeBoolean(column.nullable());
        }
        RowCodec.writeVarLong(out, desc.uniqueKeys().size());
        for (List<Integer> key : desc.uniqueKeys()) {
            RowCodec.writeVarLong(out, key.size());
            for (int index : key) {
                RowCodec.writeVarLong(out, index);
            }
        }
    }

    public static RelationDesc read(DataInput in) throws IOException {
        int arity = RowCodec.readLength(in);
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            String name = RowCodec.readString(in);
            SqlType type = readType(in);
            columns.add(new Column(name, type, in.readBoolean()));
        }
        int keys = RowCodec.readLength(in);
        List<List<Integer>> uniqueKeys = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            int size = RowCodec.readLength(in);
            List<Integer> key = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                key.add(RowCodec.readLength(in));
            }
            uniqueKeys.add(key);
        }
        return new RelationDesc(columns, uniqueKeys);
    }

    private static void writeType(DataOutput out, SqlType type) throws IOException {
        RowCodec.writeString(out, type.kind().name());
        RowCodec.writeSignedVarLong(out, type.precision());
        RowCodec.writeSignedVarLong(out, type.scale());
        out.writeBoolean(type.element().isPresent());
        if (type.element().isPresent()) {
            writeType(out, type.element().get());
        }
    }

    private static SqlType readType(DataInput in) throws IOException {
        String kindName = RowCodec.readString(in);
        TypeKind kind;
        try {
            kind = TypeKind.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown type kind " + kindName, e);
        }
        int precision = (int) RowCodec.readSignedVarLong(in);
        int scale = (int) RowCodec.readSignedVarLong(in);
        Optional<SqlType> element = in.readBoolean() ? Optional.of(readType(in)) : Optional.empty();
        return new SqlType(kind, precision, scale, element);
    }
}
