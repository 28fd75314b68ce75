package dev.sluice.registry.internal;

import java.io.Closeable;
import java.io.IOException;

/** Where the registry's changes go: one record per change, durable when {@link #append} returns. */
public interface RecordLog extends Closeable {
    /** Writes one record and forces it to disk; returns only once it would survive a crash. */
    void append(byte[] payload) throws IOException;
}
