package dev.sluice.pgwire;

/** Where the data of a {@code COPY … FROM STDIN} goes; called on the connection's thread, in order. */
public interface CopyReceiver {
    /** One CopyData message's payload: any slice of the data stream, not necessarily whole rows. */
    void data(byte[] bytes);

    /** The client sent CopyDone: the data is complete. Returns the command tag, e.g. {@code COPY 3}. */
    String done();

    /** The copy ends without {@link #done()} (CopyFail, an error, or the connection closing): nothing of it is kept. */
    void abort();
}
