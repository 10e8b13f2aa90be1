package io.leadhub.tenant;

/**
 * What a destination does when duplicate detection finds the lead already in the CRM
 * (tenant file {@code duplicate_detection.action}).
 */
public enum DuplicateAction {
    /** update the existing CRM record ({@code update_existing}) */
    UPDATE_EXISTING,
    /** leave the CRM record alone and record the delivery as skipped ({@code skip}) */
    SKIP,
    /** create a new record anyway ({@code create}) */
    CREATE;

    /**
     * @param value the tenant-file spelling: {@code update_existing}, {@code skip} or {@code create}
     * @return the action
     * @throws IllegalArgumentException for any other value
     */
    public static DuplicateAction fromConfig(String value) {
        return switch (value) {
            case "update_existing" -> UPDATE_EXISTING;
            case "skip" -> SKIP;
            case "create" -> CREATE;
            default -> throw new IllegalArgumentException("unknown duplicate action '" + value
                    + "' (expected update_existing, skip or create)");
        };
    }
}
