package dev.sluice.storage.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A checkpoint file: the whole state as of a cut of the log, after which only log segments of
 * generation {@code generation} and later need replaying.
 * <pre>
 * file       := "SLCK" version:int body crc32c(body):int
 * body       := generation:long lastTimestamp:long upper:long varint(#collections) collection* varint(#holds) hold*
 * collection := id:string desc since:long (1 row zigzag(count))* 0 varint(#batches) (time:long varint(#rows) (row zigzag(diff))*)*
 * hold       := name:string collection:string time:long
 * </pre>
 * Rows are the consolidated contents as of {@code since}; batches the retained history after it.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x534C434B;
    private static final int VERSION = 1;

    /** What to write for one collection: its state as of {@code since} plus retained history. */
    public record CollectionImage(VersionedCollection collection, long since, List<Map.Entry<Long, List<Update>>> history) {
        public CollectionImage {
            requireNonNull(collection, "collection is null");
            history = List.copyOf(history);
        }
    }

    public record HoldImage(String name, String collection, long time) {
        public HoldImage {
            requireNonNull(name, "name is null");
            requireNonNull(collection, "collection is null");
        }
    }

    /** A checkpoint as read back. */
    public record Loaded(long generation, long lastTimestamp, long upper, Map<String, VersionedCollection> collections, List<HoldImage> holds) {
    }

    private Checkpoint() {
    }

    /** Writes and fsyncs {@code file}; throws {@link CancellationException} when {@code cancelled} turns true meanwhile. */
    public static void write(Path file, long generation, long lastTimestamp, long upper, List<CollectionImage> collections,
            List<HoldImage> holds, BooleanSupplier cancelled) throws IOException {
        CRC32C checksum = new CRC32C();
        try (OutputStream stream = Files.newOutputStream(file);
                BufferedOutputStream buffered = new BufferedOutputStream(stream, 1 << 16)) {
            DataOutputStream raw = new DataOutputStream(buffered);
            raw.writeInt(MAGIC);
            raw.writeInt(VERSION);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, checksum));
            out.writeLong(generation);
            out.writeLong(lastTimestamp);
            out.writeLong(upper);
            RowCodec.writeVarLong(out, collections.size());
            long written = 0;
            for (CollectionImage image : collections) {
                RowCodec.writeString(out, image.collection().id());
                DescCodec.write(out, image.collection().desc());
                out.writeLong(image.since());
                Iterator<Map.Entry<Row, Long>> rows = image.collection().read(image.since());
                while (rows.hasNext()) {
                    Map.Entry<Row, Long> row = rows.next();
                    out.writeByte(1);
                    RowCodec.writeRow(out, row.getKey());
                    RowCodec.writeSignedVarLong(out, row.getValue());
                    if ((++written & 1023) == 0 && cancelled.getAsBoolean()) {
                        throw new CancellationException("checkpoint cancelled");
                    }
                }
                out.writeByte(0);
                RowCodec.writeVarLong(out, image.history().size());
                for (Map.Entry<Long, List<Update>> batch : image.history()) {
                    out.writeLong(batch.getKey());
                    RowCodec.writeVarLong(out, batch.getValue().size());
                    for (Update update : batch.getValue()) {
                        RowCodec.writeRow(out, update.row());
                        RowCodec.writeSignedVarLong(out, update.diff());
                    }
                }
            }
            RowCodec.writeVarLong(out, holds.size());
            for (HoldImage hold : holds) {
                RowCodec.writeString(out, hold.name());
                RowCodec.writeString(out, hold.collection());
                out.writeLong(hold.time());
            }
            out.flush();
            raw.writeInt((int) checksum.getValue());
            raw.flush();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    public static Loaded read(Path file) throws IOException {
        CRC32C checksum = new CRC32C();
        try (InputStream stream = Files.newInputStream(file);
                BufferedInputStream buffered = new BufferedInputStream(stream, 1 << 16)) {
            DataInputStream raw = new DataInputStream(buffered);
            if (raw.readInt() != MAGIC) {
                throw new IOException("not a checkpoint file: " + file);
            }
            int version = raw.readInt();
            if (version != VERSION) {
                throw new IOException("unsupported checkpoint version " + version + " in " + file);
            }
            DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, checksum));
            long generation = in.readLong();
            long lastTimestamp = in.readLong();
            long upper = in.readLong();
            int collectionCount = RowCodec.readLength(in);
            Map<String, VersionedCollection> collections = new LinkedHashMap<>();
            for (int i = 0; i < collectionCount; i++) {
                String id = RowCodec.readString(in);
                RelationDesc desc = DescCodec.read(in);
                long since = in.readLong();
                VersionedCollection collection = new VersionedCollection(id, desc, since);
                while (in.readUnsignedByte() == 1) {
                    Row row = RowCodec.readRow(in);
                    collection.load(row, RowCodec.readSignedVarLong(in));
                }
                int batches = RowCodec.readLength(in);
                for (int j = 0; j < batches; j++) {
                    long time = in.readLong();
                    int rowCount = RowCodec.readLength(in);
                    List<Update> updates = new ArrayList<>(Math.min(rowCount, 1 << 16));
                    for (int k = 0; k < rowCount; k++) {
                        Row row = RowCodec.readRow(in);
                        updates.add(new Update(row, time, RowCodec.readSignedVarLong(in)));
                    }
                    collection.apply(time, updates);
                }
                collections.put(id, collection);
            }
            int holdCount = RowCodec.readLength(in);
            List<HoldImage> holds = new ArrayList<>();
            for (int i = 0; i < holdCount; i++) {
                String name = RowCodec.readString(in);
                String collection = RowCodec.readString(in);
                holds.add(new HoldImage(name, collection, in.readLong()));
            }
            int expected = (int) checksum.getValue();
            if (raw.readInt() != expected) {
                throw new IOException("checkpoint " + file + " is corrupt (checksum mismatch)");
            }
            return new Loaded(generation, lastTimestamp, upper, collections, holds);
        }
    }
}
