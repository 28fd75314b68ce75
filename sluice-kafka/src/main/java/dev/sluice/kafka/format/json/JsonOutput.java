package dev.sluice.kafka.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One JSON generator reused for message after message: creating a Jackson generator per message
 * (context, buffer-recycler lookup through a thread local) cost a sink's writer about a third of its
 * time. Writes each message as one root value with no separator and returns exactly its bytes, so
 * the output is byte for byte what a fresh generator of {@link JsonRowEncoder#generator} writes. Not
 * thread-safe: one per writer thread.
 */
public final class JsonOutput {
    /** Writes one JSON value to the generator. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private final Buffer buffer = new Buffer();
    private JsonGenerator generator = newGenerator();

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator created = JsonRowEncoder.generator(buffer);
            created.setRootValueSeparator(null);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the one value {@code body} writes. */
    public byte[] write(Body body) {
        buffer.reset();
        try {
            body.write(generator);
            generator.flush();
        } catch (IOException | RuntimeException e) {
            // A value left half-written would corrupt the next one: start over with a fresh generator.
            generator = newGenerator();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        return buffer.toByteArray();
    }

    /** A growable byte array that can be emptied without reallocating. */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[512];
        private int size;

        void reset() {
            size = 0;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }
    }
}
