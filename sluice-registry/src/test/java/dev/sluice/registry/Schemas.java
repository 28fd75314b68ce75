package dev.sluice.registry;

/** Avro schemas the tests register, written as clients send them. */
final class Schemas {
    static final String USER = record("User", "{\"name\":\"id\",\"type\":\"long\"}");
    static final String USER_WITH_OPTIONAL_EMAIL = record("User", "{\"name\":\"id\",\"type\":\"long\"}",
            "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}");
    static final String ORDER = record("Order", "{\"name\":\"number\",\"type\":\"int\"}", "{\"name\":\"item\",\"type\":\"string\"}");

    private Schemas() {
    }

    /** A record schema named {@code name} with the given field definitions. */
    static String record(String name, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    /** What the registry stores and serves: Avro's own rendering of the schema. */
    static String canonical(String schema) {
        return new org.apache.avro.Schema.Parser().parse(schema).toString();
    }
}
