package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

/**
 * One client message: {@code type} is the message type byte, or {@link #STARTUP} for the untyped
 * startup-phase messages (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest). {@code payload}
 * excludes type and length.
 */
record Frame(char type, byte[] payload) {
    static final char STARTUP = 0;

    Frame {
        requireNonNull(payload, "payload is null");
    }
}
