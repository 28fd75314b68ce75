package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of records, each framed as {@code [payload length: int][CRC-32C of the
 * payload: int][payload]} (big-endian), the same framing as the storage module's write-ahead log.
 *
 * <p>Recovery: {@link #open} reads records from the start and stops at the first one that is
 * short (a write torn by a crash) or fails its checksum; it cuts the file there, so a torn record
 * is dropped whole and never half-applied. Every {@link #append} forces the file to disk before
 * returning, and a newly created file's directory entry is forced too.
 *
 * <p>Not thread-safe: the registry appends under its write lock.
 */
public final class FileRecordLog implements RecordLog {
    private static final int HEADER_BYTES = 8;

    private final FileChannel channel;

    private FileRecordLog(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens (creating) the log at {@code path}, hands every intact record to {@code replay} in
     * order, and cuts off whatever follows the intact prefix.
     */
    public static FileRecordLog open(Path path, Consumer<byte[]> replay) throws IOException {
        requireNonNull(replay, "replay is null");
        boolean created = !Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (created) {
                forceDirectory(path.toAbsolutePath().getParent());
            }
            long intact = replayIntactPrefix(channel, replay);
            if (channel.size() > intact) {
                channel.truncate(intact);
                channel.force(true);
            }
            channel.position(intact);
            return new FileRecordLog(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long replayIntactPrefix(FileChannel channel, Consumer<byte[]> replay) throws IOException {
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (size - position >= HEADER_BYTES) {
            header.clear();
            readFully(channel, header, position);
            int length = header.getInt(0);
            int checksum = header.getInt(4);
            if (length < 0 || length > size - position - HEADER_BYTES) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + HEADER_BYTES);
            if (crc32c(payload.array()) != checksum) {
                break;
            }
            replay.accept(payload.array());
            position += HEADER_BYTES + length;
        }
        return position;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file at " + at);
            }
            at += read;
        }
    }

    @Override
    public void append(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        frame.putInt(payload.length).putInt(crc32c(payload)).put(payload).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int crc32c(byte[] bytes) {
        CRC32C checksum = new CRC32C();
        checksum.update(bytes, 0, bytes.length);
        return (int) checksum.getValue();
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel handle = FileChannel.open(directory, StandardOpenOption.READ)) {
            handle.force(true);
        }
    }
}
