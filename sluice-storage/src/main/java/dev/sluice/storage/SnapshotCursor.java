package dev.sluice.storage;

import java.util.Iterator;

/** The consolidated contents of a collection as of a time, pulled row by row. Caller closes. */
public interface SnapshotCursor extends Iterator<RowCount>, AutoCloseable {
    @Override
    void close();
}
