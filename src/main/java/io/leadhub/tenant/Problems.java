package io.leadhub.tenant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the problems of one tenant file while it is loaded. */
final class Problems {

    private record Problem(KeyPath path, YamlTree.Position position, String reason, boolean wholeFile) {
    }

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<KeyPath> paths = new LinkedHashSet<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(KeyPath path, YamlTree.Position position, String reason) {
        Problem p = new Problem(path, position, reason, false);
        if (!problems.contains(p)) {
            problems.add(p);
            paths.add(path);
        }
    }

    void addFileProblem(YamlTree.Position position, String reason) {
        problems.add(new Problem(KeyPath.ROOT, position, reason, true));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * @param path a location
     * @return true when a problem was recorded at this path or one of its ancestors
     */
    boolean covers(KeyPath path) {
        for (KeyPath p : paths) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** @throws TenantConfigException with every problem, sorted by position, when there is any */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<TenantConfigError> errors = new ArrayList<>();
        problems.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.position().line())
                        .thenComparingInt(p -> p.position().column()))
                .forEach(p -> errors.add(new TenantConfigError(file,
                        p.wholeFile() || p.path().isRoot() ? TenantConfigError.FILE_KEY : p.path().dotted(),
                        p.position().line(), p.position().column(), p.reason())));
        throw new TenantConfigException(errors);
    }
}
