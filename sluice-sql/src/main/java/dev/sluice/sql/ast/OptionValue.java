package dev.sluice.sql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** The value of a {@code WITH}/connection/sink option. */
public sealed interface OptionValue {
    /** A string literal. */
    record Text(String value) implements OptionValue {
        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** A numeric literal as written. */
    record Number(String value) implements OptionValue {
        public Number {
            requireNonNull(value, "value is null");
        }
    }

    /** {@code TRUE}/{@code FALSE}. */
    record Bool(boolean value) implements OptionValue {
    }

    /** {@code SECRET name}. */
    record Secret(QualifiedName name) implements OptionValue {
        public Secret {
            requireNonNull(name, "name is null");
        }
    }

    /** A bare name (an object or a word such as {@code PLAINTEXT}). */
    record Name(QualifiedName name) implements OptionValue {
        public Name {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code ( a, b )}: e.g. BROKERS. */
    record Sequence(List<OptionValue> values) implements OptionValue {
        public Sequence {
            values = List.copyOf(values);
        }
    }

    /** {@code MAP['k' => v, …]}. */
    record MapValue(List<Map.Entry<String, OptionValue>> entries) implements OptionValue {
        public MapValue {
            entries = List.copyOf(entries);
        }
    }

    /** A SQL expression (PARTITION BY). */
    record Expression(SqlFragment fragment) implements OptionValue {
        public Expression {
            requireNonNull(fragment, "fragment is null");
        }
    }

    /** A value with trailing words, e.g. {@code 'host:9092' USING SSH TUNNEL t}. */
    record Qualified(OptionValue value, List<String> words) implements OptionValue {
        public Qualified {
            requireNonNull(value, "value is null");
            words = List.copyOf(words);
        }
    }

    /** No value given ({@code SNAPSHOT} alone). */
    record Absent() implements OptionValue {
    }
}
