package dev.sluice.pgwire;

/** Opens the SQL side of a new connection; may throw {@link dev.sluice.common.error.SluiceException} to refuse it. */
@FunctionalInterface
public interface PgSessionFactory {
    PgSession open(StartupInfo info);
}
