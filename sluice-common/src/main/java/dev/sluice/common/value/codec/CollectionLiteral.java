package dev.sluice.common.value.codec;

import java.util.ArrayList;
import java.util.List;

/** A reader of PostgreSQL array/list literals ({@code {1,"a b",NULL,{2}}}) and Materialize map literals ({@code {a=>1}}). */
final class CollectionLiteral {
    private final String text;
    private int position;

    CollectionLiteral(String text) {
        this.text = text.trim();
    }

    /** Elements: a String, null for an unquoted NULL, or a nested List. */
    List<Object> elements() {
        List<Object> result = readList();
        skipSpaces();
        if (position != text.length()) {
            throw new IllegalArgumentException("trailing characters");
        }
        return result;
    }

    List<String[]> mapEntries() {
        expect('{');
        List<String[]> entries = new ArrayList<>();
        skipSpaces();
        if (peek() == '}') {
            position++;
            return entries;
        }
        while (true) {
            skipSpaces();
            String key = readScalar(true);
            if (key == null) {
                throw new IllegalArgumentException("NULL map key");
            }
            skipSpaces();
            expect('=');
            expect('>');
            skipSpaces();
            String value = readScalar(true);
            entries.add(new String[] {key, value});
            skipSpaces();
            char c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
        skipSpaces();
        if (position != text.length()) {
            throw new IllegalArgumentException("trailing characters");
        }
        return entries;
    }

    private List<Object> readList() {
        skipSpaces();
        expect('{');
        List<Object> result = new ArrayList<>();
        skipSpaces();
        if (peek() == '}') {
            position++;
            return result;
        }
        while (true) {
            skipSpaces();
            if (peek() == '{') {
                result.add(readList());
            } else {
                result.add(readScalar(false));
            }
            skipSpaces();
            char c = next();
            if (c == '}') {
                return result;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private String readScalar(boolean inMap) {
        if (peek() == '"') {
            position++;
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '\\') {
                    value.append(next());
                } else if (c == '"') {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
        }
        int start = position;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == ',' || c == '}' || (inMap && c == '=' && position + 1 < text.length() && text.charAt(position + 1) == '>')) {
                break;
            }
            position++;
        }
        String value = text.substring(start, position).trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty element");
        }
        return value.equalsIgnoreCase("NULL") ? null : value;
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private char peek() {
        if (position >= text.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return text.charAt(position);
    }

    private char next() {
        char c = peek();
        position++;
        return c;
    }

    private void expect(char expected) {
        if (next() != expected) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }
}
