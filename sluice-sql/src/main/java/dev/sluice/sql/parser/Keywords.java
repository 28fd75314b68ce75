package dev.sluice.sql.parser;

import java.util.Set;

/** Words the parser treats as keywords when describing tokens in errors. */
final class Keywords {
    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "insert", "into", "values", "update", "set", "delete",
            "create", "drop", "table", "secret", "connection", "sink", "to", "for", "kafka", "with", "as", "key", "format", "envelope",
            "upsert", "debezium", "json", "text", "bytes", "avro", "using", "confluent", "schema", "registry", "not", "null", "default",
            "primary", "if", "exists", "show", "begin", "commit", "rollback", "true", "false", "in", "cluster", "headers", "partition",
            "by", "snapshot", "version", "topic", "on", "is", "and", "or", "alter", "comment", "cascade", "restrict", "map", "list",
            "brokers", "broker", "security", "protocol", "sasl", "ssl", "validate", "transaction", "start", "end", "abort", "reset");

    private Keywords() {
    }

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }
}
