package io.leadhub.mapping;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CEL environment of one tenant: compiles the tenant file's expressions once, at load time, into
 * {@link CompiledExpression}s that can be evaluated many times (thread-safe).
 *
 * <p>Declared variables: {@code lead}, {@code call}, {@code ai} and every lookup name, each of type
 * {@code map(string, dyn)}. Functions: the CEL standard library and macros ({@code has}, {@code all},
 * {@code exists}, {@code exists_one}, {@code map}, {@code filter}), the strings extension
 * ({@code lowerAscii()}, {@code upperAscii()}, {@code trim()}, {@code replace()}, {@code split()},
 * {@code substring()}, {@code indexOf()}, {@code join()}, ...), the math extension ({@code math.greatest},
 * {@code math.least}, ...), and:
 * <ul>
 *   <li>{@code today()} → {@code string}: the current date {@code YYYY-MM-DD} in the tenant's time zone</li>
 *   <li>{@code now()} → {@code string}: the current instant, ISO-8601 UTC with second precision, e.g.
 *       {@code 2026-11-21T10:15:30Z}</li>
 *   <li>{@code addDays(string date, int n)} → {@code string}: {@code date} ({@code YYYY-MM-DD}) plus {@code n}
 *       days (n may be negative)</li>
 * </ul>
 * Numbers of different types compare with each other ({@code ai.lead_score > 80.5} works on an int score).
 */
public final class ExpressionEnvironment {

    /** Names a lookup must not use: the context variables, the custom functions and the math namespace. */
    public static final Set<String> RESERVED_NAMES = Set.of("lead", "call", "ai", "now", "today", "addDays", "math");

    /** CEL keywords and reserved words, which cannot be variable names. */
    public static final Set<String> CEL_KEYWORDS = Set.of("in", "as", "break", "const", "continue", "else", "for",
            "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
            "true", "false", "null");

    /** What the result of an expression must be. */
    public enum Expect {
        /** any type */
        ANY,
        /** {@code bool} (or {@code dyn}, checked when evaluated) */
        BOOL
    }

    private static final CelType CONTEXT_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final Map<String, Object> lookups;

    private ExpressionEnvironment(CelCompiler compiler, CelRuntime runtime, Map<String, Object> lookups) {
        this.compiler = compiler;
        this.runtime = runtime;
        this.lookups = lookups;
    }

    /**
     * Builds the environment of one tenant.
     *
     * @param lookups  the tenant's lookup tables by name (each a map of string to scalar); names must be CEL
     *                 identifiers not in {@link #RESERVED_NAMES} or {@link #CEL_KEYWORDS}
     * @param timezone zone of {@code today()}
     * @param clock    source of the current time for {@code today()} and {@code now()}
     * @return the environment
     * @throws IllegalArgumentException when a lookup name is reserved
     */
    public static ExpressionEnvironment create(Map<String, ? extends Map<String, ?>> lookups, ZoneId timezone,
                                               Clock clock) {
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(clock, "clock");
        CelOptions options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .enableTimestampEpoch(true)
                .build();
        CelCompilerBuilder compilerBuilder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings(), CelExtensions.math(options))
                .addVar("lead", CONTEXT_MAP)
                .addVar("call", CONTEXT_MAP)
                .addVar("ai", CONTEXT_MAP)
                .addFunctionDeclarations(
                        CelFunctionDecl.newFunctionDeclaration("today",
                                CelOverloadDecl.newGlobalOverload("leadhub_today", SimpleType.STRING)),
                        CelFunctionDecl.newFunctionDeclaration("now",
                                CelOverloadDecl.newGlobalOverload("leadhub_now", SimpleType.STRING)),
                        CelFunctionDecl.newFunctionDeclaration("addDays",
                                CelOverloadDecl.newGlobalOverload("leadhub_addDays_string_int", SimpleType.STRING,
                                        SimpleType.STRING, SimpleType.INT)));
        Map<String, Object> lookupValues = new LinkedHashMap<>();
        lookups.forEach((name, table) -> {
            if (RESERVED_NAMES.contains(name) || CEL_KEYWORDS.contains(name)) {
                throw new IllegalArgumentException("lookup name '" + name + "' is reserved");
            }
            compilerBuilder.addVar(name, CONTEXT_MAP);
            lookupValues.put(name, CelValues.toCel(table));
        });
        CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                .addLibraries(CelExtensions.strings(), CelExtensions.math(options))
                .addFunctionBindings(
                        CelFunctionBinding.from("leadhub_today", List.of(),
                                args -> LocalDate.ofInstant(clock.instant(), timezone).toString()),
                        CelFunctionBinding.from("leadhub_now", List.of(),
                                args -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()),
                        CelFunctionBinding.from("leadhub_addDays_string_int", String.class, Long.class,
                                ExpressionEnvironment::addDays))
                .build();
        return new ExpressionEnvironment(compilerBuilder.build(), runtime, Collections.unmodifiableMap(lookupValues));
    }

    private static String addDays(String date, Long days) throws CelEvaluationException {
        LocalDate parsed;
        try {
            parsed = LocalDate.parse(date);
        } catch (DateTimeException e) {
            throw new CelEvaluationException("addDays: first argument must be a date YYYY-MM-DD");
        }
        try {
            return parsed.plusDays(days).toString();
        } catch (DateTimeException | ArithmeticException e) {
            throw new CelEvaluationException("addDays: result out of range");
        }
    }

    /**
     * Parses, type-checks and plans one expression.
     *
     * @param key    dotted tenant-file path of the expression, used in error messages, e.g.
     *               {@code destinations[0].computed.estimated_value}
     * @param source the CEL expression text
     * @param expect required result type
     * @return the compiled expression
     * @throws ExpressionCompileException with CEL's issues (positions relative to {@code source}), or a single
     *                                    issue at 1:1 when the result type does not fit {@code expect}
     */
    public CompiledExpression compile(String key, String source, Expect expect) {
        CelValidationResult result = compiler.compile(source, key);
        if (result.hasError()) {
            throw new ExpressionCompileException(key, toIssues(result.getErrors()));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new ExpressionCompileException(key, toIssues(e.getErrors()));
        }
        if (expect == Expect.BOOL) {
            CelKind kind = ast.getResultType().kind();
            if (kind != CelKind.BOOL && kind != CelKind.DYN) {
                throw new ExpressionCompileException(key, List.of(new ExpressionIssue(1, 1,
                        "condition must be of type bool, but is " + ast.getResultType().name())));
            }
        }
        try {
            return new CompiledExpression(key, source, runtime.createProgram(ast), lookups);
        } catch (CelEvaluationException e) {
            throw new ExpressionCompileException(key, List.of(new ExpressionIssue(0, 0, e.getMessage())));
        }
    }

    private static List<ExpressionIssue> toIssues(List<CelIssue> celIssues) {
        List<ExpressionIssue> issues = new ArrayList<>();
        for (CelIssue issue : celIssues) {
            CelSourceLocation location = issue.getSourceLocation();
            if (location == null || location.equals(CelSourceLocation.NONE) || location.getLine() <= 0) {
                issues.add(new ExpressionIssue(0, 0, issue.getMessage()));
            } else {
                issues.add(new ExpressionIssue(location.getLine(), Math.max(0, location.getColumn()) + 1,
                        issue.getMessage()));
            }
        }
        if (issues.isEmpty()) {
            issues.add(new ExpressionIssue(0, 0, "invalid expression"));
        }
        return issues;
    }
}
