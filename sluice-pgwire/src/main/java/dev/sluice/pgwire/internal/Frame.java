package dev.sluice.pgwire.internal;

/**
 * One client message: {@code type} is the message type byte, or 0 for the untyped startup-phase
 * messages (StartupMessage, SSLRequest, CancelRequest). {@code payload} excludes type and length.
 */
record Frame(char type, byte[] payload) {
}
