package dev.sluice.registry.internal;

/**
 * Every error a client of the registry can see: the HTTP status, Confluent's {@code error_code}
 * and Confluent's message text (a {@link String#format} pattern). The texts are the ones
 * Confluent's Schema Registry sends, so clients that match on them keep working.
 *
 * <p>These are not {@code SluiceException}s: they travel over Confluent's REST protocol, whose
 * error codes are its own, not SQLSTATEs. Starting the registry (a busy port, a locked data
 * directory) fails with a {@code SluiceException}, like the rest of Sluice.
 */
public enum RegistryError {
    SUBJECT_NOT_FOUND(404, 40401, "Subject '%s' not found."),
    VERSION_NOT_FOUND(404, 40402, "Version %s not found."),
    SCHEMA_NOT_FOUND(404, 40403, "Schema not found"),
    SCHEMA_ID_NOT_FOUND(404, 40403, "Schema %s not found"),
    SUBJECT_SOFT_DELETED(404, 40404, "Subject '%s' was soft deleted.Set permanent=true to delete permanently"),
    SUBJECT_NOT_SOFT_DELETED(404, 40405, "Subject '%s' was not deleted first before being permanently deleted"),
    VERSION_SOFT_DELETED(404, 40406, "Subject '%s' Version %s was soft deleted.Set permanent=true to delete permanently"),
    VERSION_NOT_SOFT_DELETED(404, 40407, "Subject '%s' Version %s was not deleted first before being permanently deleted"),
    SUBJECT_COMPATIBILITY_NOT_CONFIGURED(404, 40408, "Subject '%s' does not have subject-level compatibility configured"),
    SUBJECT_MODE_NOT_CONFIGURED(404, 40409, "Subject '%s' does not have subject-level mode configured"),
    /** Confluent (up to 7.x) sends the HTTP status itself as the error code here. */
    INCOMPATIBLE_SCHEMA(409, 409, "Schema being registered is incompatible with an earlier schema for subject \"%s\", details: %s"),
    INVALID_SCHEMA(422, 42201, "%s"),
    INVALID_VERSION(422, 42202,
            "The specified version '%s' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""),
    INVALID_COMPATIBILITY_LEVEL(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, "
            + "backward_transitive, forward_transitive, and full_transitive"),
    INVALID_MODE(422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT."),
    OPERATION_NOT_PERMITTED(422, 42205, "%s"),
    ID_DOES_NOT_MATCH(422, 42207, "Schema already registered with id %s instead of input id %s"),
    INVALID_SUBJECT(422, 42208, "The specified subject '%s' is not a valid."),
    STORE_ERROR(500, 50001, "%s"),
    NOT_FOUND(404, 404, "HTTP 404 Not Found"),
    METHOD_NOT_ALLOWED(405, 405, "HTTP 405 Method Not Allowed"),
    UNSUPPORTED_MEDIA_TYPE(415, 415, "HTTP 415 Unsupported Media Type"),
    MALFORMED_JSON(400, 400, "%s"),
    UNPROCESSABLE_REQUEST(422, 422, "%s");

    private final int httpStatus;
    private final int errorCode;
    private final String format;

    RegistryError(int httpStatus, int errorCode, String format) {
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.format = format;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code error_code} of the JSON error body. */
    public int errorCode() {
        return errorCode;
    }

    String format() {
        return format;
    }
}
