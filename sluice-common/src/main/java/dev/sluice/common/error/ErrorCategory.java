package dev.sluice.common.error;

/** Who is at fault for an error: decides how it is logged and whether it is retried. */
public enum ErrorCategory {
    /** The user's statement or data is wrong; the message says how to fix it. */
    USER,
    /** Something outside Sluice failed (a broker, a registry, the network); often transient. */
    EXTERNAL,
    /** A bug in Sluice; reported as SQLSTATE XX000 with the stack trace in the server log only. */
    INTERNAL
}
