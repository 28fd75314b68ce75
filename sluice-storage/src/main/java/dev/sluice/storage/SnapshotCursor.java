package dev.sluice.storage;

import java.util.Iterator;

/**
 * The consolidated contents of a collection as of a time, pulled row by row in no particular order.
 * It reads the live multi-versioned state without copying it and holds the collection's
 * {@code since} at its time until closed: the caller must close it. Not thread-safe.
 */
public interface SnapshotCursor extends Iterator<RowCount>, AutoCloseable {
    @Override
    void close();
}
