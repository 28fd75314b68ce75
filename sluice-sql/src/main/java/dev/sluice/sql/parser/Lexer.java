package dev.sluice.sql.parser;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PostgreSQL's lexical rules: identifiers, quoted identifiers, strings (incl. E'' and $$), numbers, comments, operators. */
public final class Lexer {
    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?:";

    private final String text;
    private int position;

    private Lexer(String text) {
        this.text = text;
    }

    public static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (position >= text.length()) {
                tokens.add(new Token(Token.Kind.EOF, "", position, position));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            } else if (text.startsWith("--", position)) {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else if (text.startsWith("/*", position)) {
                int depth = 0;
                int start = position;
                do {
                    if (position >= text.length()) {
                        throw error("unterminated multiline comment", start);
                    }
                    if (text.startsWith("/*", position)) {
                        depth++;
                        position += 2;
                    } else if (text.startsWith("*/", position)) {
                        depth--;
                        position += 2;
                    } else {
                        position++;
                    }
                } while (depth > 0);
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = position;
        char c = text.charAt(position);
        if ((c == 'e' || c == 'E') && position + 1 < text.length() && text.charAt(position + 1) == '\'') {
            position++;
            return new Token(Token.Kind.STRING, readString(true), start, position);
        }
        if (Character.isLetter(c) || c == '_') {
            while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_'
                    || text.charAt(position) == '$')) {
                position++;
            }
            return new Token(Token.Kind.WORD, text.substring(start, position).toLowerCase(Locale.ROOT), start, position);
        }
        if (c == '"') {
            position++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (position >= text.length()) {
                    throw error("unterminated quoted identifier", start);
                }
                char d = text.charAt(position++);
                if (d == '"') {
                    if (position < text.length() && text.charAt(position) == '"') {
                        value.append('"');
                        position++;
                        continue;
                    }
                    break;
                }
                value.append(d);
            }
            if (value.length() == 0) {
                throw error("zero-length delimited identifier", start);
            }
            return new Token(Token.Kind.QUOTED_IDENTIFIER, value.toString(), start, position);
        }
        if (c == '\'') {
            return new Token(Token.Kind.STRING, readString(false), start, position);
        }
        if (c == '$') {
            if (position + 1 < text.length() && Character.isDigit(text.charAt(position + 1))) {
                position++;
                while (position < text.length() && Character.isDigit(text.charAt(position))) {
                    position++;
                }
                return new Token(Token.Kind.PARAMETER, text.substring(start + 1, position), start, position);
            }
            int tagEnd = text.indexOf('$', position + 1);
            if (tagEnd > 0 && text.substring(position + 1, tagEnd).matches("[A-Za-z_0-9]*")) {
                String tag = text.substring(position, tagEnd + 1);
                int close = text.indexOf(tag, tagEnd + 1);
                if (close < 0) {
                    throw error("unterminated dollar-quoted string", start);
                }
                String value = text.substring(tagEnd + 1, close);
                position = close + tag.length();
                return new Token(Token.Kind.STRING, value, start, position);
            }
        }
        if (Character.isDigit(c) || (c == '.' && position + 1 < text.length() && Character.isDigit(text.charAt(position + 1)))) {
            while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                if (text.charAt(position) == '.' && position + 1 < text.length() && text.charAt(position + 1) == '.') {
                    break;
                }
                position++;
            }
            if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
                int save = position;
                position++;
                if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-')) {
                    position++;
                }
                if (position < text.length() && Character.isDigit(text.charAt(position))) {
                    while (position < text.length() && Character.isDigit(text.charAt(position))) {
                        position++;
                    }
                } else {
                    position = save;
                }
            }
            return new Token(Token.Kind.NUMBER, text.substring(start, position), start, position);
        }
        position++;
        switch (c) {
            case '(' -> {
                return new Token(Token.Kind.LEFT_PAREN, "(", start, position);
            }
            case ')' -> {
                return new Token(Token.Kind.RIGHT_PAREN, ")", start, position);
            }
            case '[' -> {
                return new Token(Token.Kind.LEFT_BRACKET, "[", start, position);
            }
            case ']' -> {
                return new Token(Token.Kind.RIGHT_BRACKET, "]", start, position);
            }
            case ',' -> {
                return new Token(Token.Kind.COMMA, ",", start, position);
            }
            case ';' -> {
                return new Token(Token.Kind.SEMICOLON, ";", start, position);
            }
            case '.' -> {
                return new Token(Token.Kind.DOT, ".", start, position);
            }
            default -> {
            }
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            while (position < text.length() && OPERATOR_CHARS.indexOf(text.charAt(position)) >= 0
                    && !text.startsWith("--", position) && !text.startsWith("/*", position)) {
                position++;
            }
            return new Token(Token.Kind.OPERATOR, text.substring(start, position), start, position);
        }
        throw error("unexpected character '" + c + "'", start);
    }

    private String readString(boolean escapes) {
        int start = position;
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated quoted string", start);
            }
            char c = text.charAt(position++);
            if (c == '\'') {
                if (position < text.length() && text.charAt(position) == '\'') {
                    value.append('\'');
                    position++;
                    continue;
                }
                // Adjacent string literals separated by a newline are concatenated, as in PostgreSQL.
                int save = position;
                int probe = position;
                boolean newline = false;
                while (probe < text.length() && Character.isWhitespace(text.charAt(probe))) {
                    newline |= text.charAt(probe) == '\n';
                    probe++;
                }
                if (newline && probe < text.length() && text.charAt(probe) == '\'') {
                    position = probe + 1;
                    continue;
                }
                position = save;
                return value.toString();
            }
            if (escapes && c == '\\' && position < text.length()) {
                char e = text.charAt(position++);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    default -> value.append(e);
                }
                continue;
            }
            value.append(c);
        }
    }

    private SluiceException error(String message, int at) {
        return new SluiceException(ErrorCode.SYNTAX_ERROR, message).withPosition(at + 1);
    }
}
