package dev.sluice.common.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A NoticeResponse for the client: something worth knowing that is not an error. */
public record Notice(Severity severity, ErrorCode code, String message, Optional<String> detail, Optional<String> hint) {
    /** PostgreSQL's notice severities, as sent in the 'S' and 'V' fields. */
    public enum Severity { NOTICE, WARNING, INFO, DEBUG, LOG }

    public Notice {
        requireNonNull(severity, "severity is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(hint, "hint is null");
    }

    public static Notice notice(String message) {
        return new Notice(Severity.NOTICE, ErrorCode.SUCCESSFUL_COMPLETION, message, Optional.empty(), Optional.empty());
    }

    public static Notice notice(String message, String detail) {
        return new Notice(Severity.NOTICE, ErrorCode.SUCCESSFUL_COMPLETION, message, Optional.of(detail), Optional.empty());
    }
}
