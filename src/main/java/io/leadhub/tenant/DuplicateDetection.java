package io.leadhub.tenant;

import java.util.List;

/**
 * A destination's duplicate detection (tenant file {@code duplicate_detection}).
 *
 * @param matchFields lead fields that identify the same person, in the order they are tried:
 *                    {@code phone} (E.164) and/or {@code email} (lower-case); default {@code [phone, email]}
 * @param action      what to do on a match; default {@link DuplicateAction#UPDATE_EXISTING}
 */
public record DuplicateDetection(List<String> matchFields, DuplicateAction action) {

    /** The default: match on phone then email, update the existing record. */
    public static final DuplicateDetection DEFAULT =
            new DuplicateDetection(List.of("phone", "email"), DuplicateAction.UPDATE_EXISTING);

    public DuplicateDetection {
        matchFields = List.copyOf(matchFields);
    }
}
