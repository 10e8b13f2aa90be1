package io.leadhub.mapping;

/**
 * One problem CEL found while compiling an expression.
 *
 * @param line    1-based line within the expression text, 0 when unknown
 * @param column  1-based column (code points) within that line, 0 when unknown
 * @param message CEL's description of the problem, e.g. {@code undeclared reference to 'foo'}
 */
public record ExpressionIssue(int line, int column, String message) {
}
