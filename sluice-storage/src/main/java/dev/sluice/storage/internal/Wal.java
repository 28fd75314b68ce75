package dev.sluice.storage.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only log of records framed as {@code [length:int][crc32c:int][payload]}. Recovery
 * reads records until the first short or corrupt one and truncates the file there: a torn write
 * at a crash is dropped whole. Not thread-safe; the storage writer owns it.
 */
public final class Wal implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private Wal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens (creating) the log; returns it with every intact record, the torn tail removed. */
    public static Wal open(Path path, List<byte[]> records) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(8);
        while (position + 8 <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 0 || position + 8 + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, position + 8);
            byte[] bytes = payload.array();
            CRC32C checksum = new CRC32C();
            checksum.update(bytes);
            if ((int) checksum.getValue() != crc) {
                break;
            }
            records.add(bytes);
            position += 8 + length;
        }
        if (position < size) {
            channel.truncate(position);
            channel.force(true);
        }
        channel.position(position);
        return new Wal(path, channel);
    }

    public void append(byte[] payload) throws IOException {
        CRC32C checksum = new CRC32C();
        checksum.update(payload);
        ByteBuffer buffer = ByteBuffer.allocate(8 + payload.length);
        buffer.putInt(payload.length).putInt((int) checksum.getValue()).put(payload).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    public void sync() throws IOException {
        channel.force(false);
    }

    public long size() throws IOException {
        return channel.size();
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public static DataInputStream reader(byte[] record) {
        return new DataInputStream(new ByteArrayInputStream(record));
    }

    static List<byte[]> none() {
        return new ArrayList<>();
    }
}
