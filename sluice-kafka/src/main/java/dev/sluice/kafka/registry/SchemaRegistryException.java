package dev.sluice.kafka.registry;

/**
 * A failed registry request, classified once here: {@link Kind#UNREACHABLE} (no HTTP answer: the
 * request may succeed later, the sink's restart loop retries it), {@link Kind#INCOMPATIBLE} (HTTP
 * 409: the subject's compatibility rules refuse the schema) and {@link Kind#SERVER} (any other error
 * answer). The message is what users see in the sink's status.
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Classes of failure. */
    public enum Kind { UNREACHABLE, INCOMPATIBLE, SERVER }

    private final Kind kind;
    private final int errorCode;

    SchemaRegistryException(Kind kind, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The registry's {@code error_code} (e.g. 40401, 409), or the HTTP status, or 0 without an answer. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether retrying the same request later can succeed without anyone changing anything. */
    public boolean retriable() {
        return kind == Kind.UNREACHABLE || kind == Kind.SERVER && errorCode >= 500;
    }
}
