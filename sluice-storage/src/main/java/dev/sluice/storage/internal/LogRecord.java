package dev.sluice.storage.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of the write-ahead log. Payload layout (inside the {@link WalSegment} frame):
 * <pre>
 * commit  := 1 time:long varint(#creates) (id:string desc)* varint(#drops) id:string*
 *            varint(#collections) (id:string varint(#rows) (row zigzag(diff))*)*
 * upper   := 2 upper:long
 * hold    := 3 kind:byte name:string collection:string time:long     (kind: 1 set, 2 advance, 3 release)
 * </pre>
 * A commit applies its drops, then its creates, then its row changes, all at {@code time}.
 */
public sealed interface LogRecord {
    byte COMMIT = 1;
    byte UPPER = 2;
    byte HOLD = 3;

    /** One committed batch. {@code changes} maps each collection to its updates, all at {@code time}. */
    record Commit(long time, Map<String, RelationDesc> creates, List<String> drops, Map<String, List<Update>> changes) implements LogRecord {
        public Commit {
            creates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(creates, "creates is null")));
            drops = List.copyOf(requireNonNull(drops, "drops is null"));
            changes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(changes, "changes is null")));
        }
    }

    /** The upper advanced without a commit (an idle tick). */
    record Upper(long upper) implements LogRecord {
    }

    enum HoldKind {
        SET, ADVANCE, RELEASE
    }

    /** A durable read hold was set, moved forward or released. */
    record Hold(HoldKind kind, String name, String collection, long time) implements LogRecord {
        public Hold {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(collection, "collection is null");
        }
    }

    static byte[] encode(LogRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        if (record instanceof Commit commit) {
            out.writeByte(COMMIT);
            out.writeLong(commit.time());
            RowCodec.writeVarLong(out, commit.creates().size());
            for (Map.Entry<String, RelationDesc> created : commit.creates().entrySet()) {
                RowCodec.writeString(out, created.getKey());
                DescCodec.write(out, created.getValue());
            }
            RowCodec.writeVarLong(out, commit.drops().size());
            for (String dropped : commit.drops()) {
                RowCodec.writeString(out, dropped);
            }
            RowCodec.writeVarLong(out, commit.changes().size());
            for (Map.Entry<String, List<Update>> changed : commit.changes().entrySet()) {
                RowCodec.writeString(out, changed.getKey());
                RowCodec.writeVarLong(out, changed.getValue().size());
                for (Update update : changed.getValue()) {
                    RowCodec.writeRow(out, update.row());
                    RowCodec.writeSignedVarLong(out, update.diff());
                }
            }
        } else if (record instanceof Upper upper) {
            out.writeByte(UPPER);
            out.writeLong(upper.upper());
        } else if (record instanceof Hold hold) {
            out.writeByte(HOLD);
            out.writeByte(hold.kind().ordinal() + 1);
            RowCodec.writeString(out, hold.name());
            RowCodec.writeString(out, hold.collection());
            out.writeLong(hold.time());
        }
        out.flush();
        return bytes.toByteArray();
    }

    static LogRecord decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte type = in.readByte();
        switch (type) {
            case COMMIT -> {
                long time = in.readLong();
                Map<String, RelationDesc> creates = new LinkedHashMap<>();
                int createCount = RowCodec.readLength(in);
                for (int i = 0; i < createCount; i++) {
                    String id = RowCodec.readString(in);
                    creates.put(id, DescCodec.read(in));
                }
                List<String> drops = new ArrayList<>();
                int dropCount = RowCodec.readLength(in);
                for (int i = 0; i < dropCount; i++) {
                    drops.add(RowCodec.readString(in));
                }
                Map<String, List<Update>> changes = new LinkedHashMap<>();
                int collectionCount = RowCodec.readLength(in);
                for (int i = 0; i < collectionCount; i++) {
                    String id = RowCodec.readString(in);
                    int rowCount = RowCodec.readLength(in);
                    List<Update> updates = new ArrayList<>(Math.min(rowCount, 1 << 16));
                    for (int j = 0; j < rowCount; j++) {
                        Row row = RowCodec.readRow(in);
                        updates.add(new Update(row, time, RowCodec.readSignedVarLong(in)));
                    }
                    changes.put(id, updates);
                }
                return new Commit(time, creates, drops, changes);
            }
            case UPPER -> {
                return new Upper(in.readLong());
            }
            case HOLD -> {
                int kind = in.readUnsignedByte();
                if (kind < 1 || kind > HoldKind.values().length) {
                    throw new IOException("unknown hold record kind " + kind);
                }
                String name = RowCodec.readString(in);
                String collection = RowCodec.readString(in);
                return new Hold(HoldKind.values()[kind - 1], name, collection, in.readLong());
            }
            default -> throw new IOException("unknown log record type " + type);
        }
    }
}
