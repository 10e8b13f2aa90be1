package io.leadhub.tenant;

/** A destination's {@code dry_run} setting. */
public enum DryRun {
    /** send to the CRM ({@code false}, the default) */
    OFF,
    /** never send; write the requests as JSON files under the data dir ({@code true}) */
    ON,
    /** dry run while the destination's token resolved to nothing, live once it is set ({@code auto}) */
    AUTO
}
