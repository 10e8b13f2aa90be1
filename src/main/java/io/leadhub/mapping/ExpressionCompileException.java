package io.leadhub.mapping;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An expression of a tenant file did not compile: syntax error, undeclared variable or function, type error,
 * or a result type that does not fit where the expression is used (e.g. a non-bool condition).
 * The tenant loader turns each {@link ExpressionIssue} into a positioned tenant-file error.
 */
public class ExpressionCompileException extends RuntimeException {

    private final String key;
    private final List<ExpressionIssue> issues;

    /**
     * @param key    dotted tenant-file path of the expression, e.g. {@code destinations[0].conditional.x[0].if}
     * @param issues the problems, at least one
     */
    public ExpressionCompileException(String key, List<ExpressionIssue> issues) {
        super(key + ": " + issues.stream().map(ExpressionIssue::message).collect(Collectors.joining("; ")));
        this.key = key;
        this.issues = List.copyOf(issues);
    }

    /** @return dotted tenant-file path of the expression */
    public String key() {
        return key;
    }

    /** @return the problems, in CEL's order, positions relative to the expression text */
    public List<ExpressionIssue> issues() {
        return issues;
    }
}
