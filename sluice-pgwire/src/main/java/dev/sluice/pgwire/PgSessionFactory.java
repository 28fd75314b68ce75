package dev.sluice.pgwire;

/**
 * Opens the SQL side of a new connection. It may throw {@link dev.sluice.common.error.SluiceException}
 * to refuse the connection (e.g. 3D000 for an unknown database): the client gets it as a FATAL
 * ErrorResponse and the connection closes. Called from a session thread, never an event loop.
 */
@FunctionalInterface
public interface PgSessionFactory {
    PgSession open(StartupInfo info);
}
