package dev.sluice.common.error;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one user-facing exception type. It carries what a PostgreSQL client shows: an error code
 * (hence SQLSTATE), a message that says what is wrong, and optionally DETAIL, HINT and a 1-based
 * character position in the statement text.
 *
 * <p>Messages quote names and say what to do; where the Kafka sink reference gives an exact
 * message, that text is used verbatim. Instances are immutable; {@code with*} return copies.
 */
public final class SluiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;
    private final String hint;
    private final int position;

    private SluiceException(ErrorCode code, String message, String detail, String hint, int position, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.detail = detail;
        this.hint = hint;
        this.position = position;
    }

    public SluiceException(ErrorCode code, String message) {
        this(code, message, null, null, 0, null);
    }

    public SluiceException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, null, 0, cause);
    }

    /** A new exception whose message is {@code String.format(Locale.ROOT, format, args)}. */
    public static SluiceException of(ErrorCode code, String format, Object... args) {
        return new SluiceException(code, args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }

    /** Wraps an unexpected failure: the client sees "internal error: ..." with SQLSTATE XX000. */
    public static SluiceException internal(Throwable cause) {
        if (cause instanceof SluiceException sluiceException) {
            return sluiceException;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SluiceException(ErrorCode.INTERNAL_ERROR, "internal error: " + message, null, null, 0, cause);
    }

    public SluiceException withDetail(String newDetail) {
        return new SluiceException(code, getMessage(), newDetail, hint, position, getCause());
    }

    public SluiceException withHint(String newHint) {
        return new SluiceException(code, getMessage(), detail, newHint, position, getCause());
    }

    /** @param newPosition 1-based character position in the statement text, 0 for none */
    public SluiceException withPosition(int newPosition) {
        return new SluiceException(code, getMessage(), detail, hint, newPosition, getCause());
    }

    public ErrorCode code() {
        return code;
    }

    public String sqlState() {
        return code.sqlState();
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    public OptionalInt position() {
        return position > 0 ? OptionalInt.of(position) : OptionalInt.empty();
    }
}
