package dev.sluice.sql.parser;

import java.util.Locale;

/**
 * A lexical token. {@code text} is the normalised value (identifiers folded to lower case unless
 * quoted, string contents unescaped); {@code start}/{@code end} index the statement text.
 */
public record Token(Kind kind, String text, int start, int end) {
    /** Token kinds. */
    public enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, PARAMETER, OPERATOR, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACKET, RIGHT_BRACKET,
        COMMA, SEMICOLON, DOT, EOF }

    public boolean isWord(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    public boolean is(Kind expected) {
        return kind == expected;
    }

    /** How Materialize names a token in "Expected …, found …" messages. */
    public String describe() {
        return switch (kind) {
            case WORD -> Keywords.isKeyword(text) ? text.toUpperCase(Locale.ROOT) : "identifier \"" + text + "\"";
            case QUOTED_IDENTIFIER -> "identifier \"" + text + "\"";
            case STRING -> "string literal \"" + text + "\"";
            case NUMBER -> "number \"" + text + "\"";
            case PARAMETER -> "parameter \"$" + text + "\"";
            case OPERATOR -> text.equals("=") ? "equals sign" : "operator \"" + text + "\"";
            case LEFT_PAREN -> "left parenthesis";
            case RIGHT_PAREN -> "right parenthesis";
            case LEFT_BRACKET -> "left square bracket";
            case RIGHT_BRACKET -> "right square bracket";
            case COMMA -> "comma";
            case SEMICOLON -> "semicolon";
            case DOT -> "dot";
            case EOF -> "EOF";
        };
    }
}
