package dev.sluice.server.session;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A session's configuration parameters ({@code SET}/{@code SHOW}/{@code RESET}). Names are
 * case-insensitive; unknown names are refused as PostgreSQL does. Not thread-safe.
 */
public final class SessionVariables {
    /** Parameters reported to the client in ParameterStatus at startup and whenever they change. */
    public static final Set<String> REPORTED = Set.of("server_version", "server_encoding", "client_encoding", "datestyle", "timezone",
            "integer_datetimes", "standard_conforming_strings", "application_name", "intervalstyle", "is_superuser", "session_authorization");

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, String> DISPLAY_NAMES = new LinkedHashMap<>();
    private static final Set<String> READ_ONLY = Set.of("server_version", "server_version_num", "server_encoding", "integer_datetimes",
            "is_superuser", "session_authorization", "max_identifier_length");

    static {
        define("application_name", "");
        define("client_encoding", "UTF8");
        define("client_min_messages", "notice");
        define("cluster", "quickstart");
        define("database", "materialize");
        define("DateStyle", "ISO, MDY");
        define("default_transaction_isolation", "strict serializable");
        define("extra_float_digits", "3");
        define("integer_datetimes", "on");
        define("IntervalStyle", "postgres");
        define("is_superuser", "on");
        define("max_identifier_length", "255");
        define("search_path", "public");
        define("server_encoding", "UTF8");
        define("server_version", "9.5.0");
        define("server_version_num", "90500");
        define("session_authorization", "materialize");
        define("standard_conforming_strings", "on");
        define("statement_timeout", "0");
        define("TimeZone", "UTC");
        define("transaction_isolation", "strict serializable");
        define("idle_in_transaction_session_timeout", "0");
        define("lock_timeout", "0");
        define("bytea_output", "hex");
    }

    private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

    public SessionVariables(Map<String, String> startupParameters, String user) {
        values.put("session_authorization", user);
        for (Map.Entry<String, String> entry : startupParameters.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (values.containsKey(name) && !READ_ONLY.contains(name)) {
                values.put(name, entry.getValue());
            }
        }
    }

    private static void define(String displayName, String value) {
        String name = displayName.toLowerCase(Locale.ROOT);
        DEFAULTS.put(name, value);
        DISPLAY_NAMES.put(name, displayName);
    }

    public String get(String name) {
        String value = values.get(normalize(name));
        if (value == null) {
            throw unknown(name);
        }
        return value;
    }

    /** Sets a parameter; returns the canonical name if it is reported to the client. */
    public String set(String name, String value) {
        String key = normalize(name);
        if (!values.containsKey(key)) {
            throw unknown(name);
        }
        if (READ_ONLY.contains(key)) {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "parameter \"%s\" cannot be changed", key);
        }
        String checked = validate(key, value);
        values.put(key, checked);
        return DISPLAY_NAMES.get(key);
    }

    public String reset(String name) {
        String key = normalize(name);
        if (!values.containsKey(key)) {
            throw unknown(name);
        }
        values.put(key, DEFAULTS.get(key));
        return DISPLAY_NAMES.get(key);
    }

    public void resetAll() {
        String user = values.get("session_authorization");
        values.clear();
        values.putAll(DEFAULTS);
        values.put("session_authorization", user);
    }

    /** Every parameter in display form, for {@code SHOW ALL}. */
    public Map<String, String> all() {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((key, value) -> result.put(key, value));
        return result;
    }

    /** The reported parameters with their display names, for ParameterStatus. */
    public Map<String, String> reported() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            if (REPORTED.contains(key)) {
                result.put(DISPLAY_NAMES.get(key), values.get(key));
            }
        }
        return result;
    }

    public static boolean isReported(String name) {
        return REPORTED.contains(normalize(name));
    }

    private static String normalize(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("time zone")) {
            return "timezone";
        }
        if (key.equals("transaction isolation level")) {
            return "transaction_isolation";
        }
        return key;
    }

    private static String validate(String key, String value) {
        switch (key) {
            case "timezone":
                String zone = value.trim();
                if (zone.equalsIgnoreCase("utc") || zone.equalsIgnoreCase("gmt") || zone.equals("+00:00") || zone.equals("00:00")
                        || zone.equalsIgnoreCase("etc/utc") || zone.equals("0")) {
                    return "UTC";
                }
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid value for parameter \"TimeZone\": \"%s\"", value)
                        .withHint("Sluice only supports the UTC time zone.");
            case "client_encoding":
                String encoding = value.trim().toUpperCase(Locale.ROOT).replace("-", "");
                if (encoding.equals("UTF8") || encoding.equals("UNICODE")) {
                    return "UTF8";
                }
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid value for parameter \"client_encoding\": \"%s\"", value)
                        .withHint("Sluice only supports the UTF8 encoding.");
            case "standard_conforming_strings":
                if (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true")) {
                    return "on";
                }
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE,
                        "invalid value for parameter \"standard_conforming_strings\": \"%s\"", value);
            case "cluster":
                if (value.equals("quickstart")) {
                    return value;
                }
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "unknown cluster '%s'", value)
                        .withHint("Sluice has one cluster, quickstart.");
            default:
                return value;
        }
    }

    private static SluiceException unknown(String name) {
        return SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name.toLowerCase(Locale.ROOT));
    }
}
