package io.leadhub.tenant;

import java.util.Set;

/**
 * What a {@link TenantRegistry#reload()} changed.
 *
 * @param added   tenant ids served now that were not served before
 * @param changed tenant ids whose configuration was replaced (file content or resolved placeholders differ)
 * @param removed tenant ids no longer served (their file is gone)
 */
public record TenantChange(Set<String> added, Set<String> changed, Set<String> removed) {

    public TenantChange {
        added = Set.copyOf(added);
        changed = Set.copyOf(changed);
        removed = Set.copyOf(removed);
    }

    /** @return true when nothing was added, changed or removed */
    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
}
