package dev.sluice.storage.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One file of the write-ahead log: records framed as {@code [length:int][crc32c(payload):int][payload]},
 * big-endian. A crash can leave a torn or garbled last record; {@link #scan} stops at the first
 * record that is short or fails its checksum, and {@link #openForAppend} cuts the file there, so a
 * torn record is dropped whole. Not thread-safe: the storage writer thread owns the open segment.
 */
public final class WalSegment implements AutoCloseable {
    public static final int HEADER_BYTES = 8;

    /** Receives each intact record's payload in log order. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(byte[] payload) throws IOException;
    }

    private final Path path;
    private final FileChannel channel;
    private long size;

    private WalSegment(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Reads every intact record of {@code path} in order and returns the length of the intact
     * prefix (smaller than the file when its tail is torn or corrupt). Does not change the file.
     */
    public static long scan(Path path, RecordConsumer consumer) throws IOException {
        long fileLength = Files.size(path);
        long position = 0;
        try (InputStream stream = Files.newInputStream(path);
                DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16))) {
            while (position + HEADER_BYTES <= fileLength) {
                int length;
                int crc;
                byte[] payload;
                try {
                    length = in.readInt();
                    crc = in.readInt();
                    if (length < 0 || length > fileLength - position - HEADER_BYTES) {
                        break;
                    }
                    payload = new byte[length];
                    in.readFully(payload);
                } catch (EOFException e) {
                    break;
                }
                if (crc32c(payload, 0, payload.length) != crc) {
                    break;
                }
                consumer.accept(payload);
                position += HEADER_BYTES + length;
            }
        }
        return position;
    }

    /** Opens (creating) a segment for appending after its first {@code validLength} bytes, cutting anything beyond. */
    public static WalSegment openForAppend(Path path, long validLength) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.size() > validLength) {
                channel.truncate(validLength);
                channel.force(true);
            }
            channel.position(validLength);
            return new WalSegment(path, channel, validLength);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends the framed records with one write (not yet durable: call {@link #sync}). */
    public void append(List<byte[]> payloads) throws IOException {
        int total = 0;
        for (byte[] payload : payloads) {
            total += HEADER_BYTES + payload.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (byte[] payload : payloads) {
            buffer.putInt(payload.length).putInt(crc32c(payload, 0, payload.length)).put(payload);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += total;
    }

    public void sync() throws IOException {
        channel.force(false);
    }

    public long size() {
        return size;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C checksum = new CRC32C();
        checksum.update(bytes, offset, length);
        return (int) checksum.getValue();
    }
}
