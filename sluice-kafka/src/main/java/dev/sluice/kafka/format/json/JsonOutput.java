package dev.sluice.kafka.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.kafka.format.GrowableBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    private final GrowableBuffer buffer = new GrowableBuffer(512);
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
}
