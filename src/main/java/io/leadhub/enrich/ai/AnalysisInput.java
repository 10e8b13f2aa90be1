package io.leadhub.enrich.ai;

/**
 * What an {@link AiAnalyzer} gets to know about one phone call.
 *
 * <p>Only the transcript is analysed for content; the other fields are call metadata from the telephony provider that
 * adjust the lead score (see {@link RulesAiAnalyzer}). Every field is optional. The constructor throws
 * {@link IllegalArgumentException} if {@code durationSeconds} is negative.
 *
 * @param transcript      the call transcription in English, as plain text (any speaker labels, punctuation and line
 *                        breaks are fine); null or blank when there is none
 * @param durationSeconds the call duration in whole seconds, {@code >= 0}; null when unknown
 * @param answered        whether a person answered the call ({@code false} for missed calls and voicemails); null when
 *                        unknown
 * @param firstCall       whether this is the first call from this caller's number; null when unknown
 * @param tenant          the tenant id the call belongs to, which selects the tenant's {@code ai.llm} settings
 *                        ({@link CompositeAiAnalyzer}) and tags the LLM metrics; null when unknown (global settings)
 */
public record AnalysisInput(String transcript, Integer durationSeconds, Boolean answered, Boolean firstCall,
                            String tenant) {

    /**
     * Validates and creates an input.
     *
     * @param transcript      the call transcription, may be null or blank
     * @param durationSeconds the call duration in seconds, {@code >= 0}, or null
     * @param answered        whether the call was answered, or null
     * @param firstCall       whether this is the caller's first call, or null
     * @param tenant          tenant id, or null
     * @throws IllegalArgumentException if {@code durationSeconds} is negative
     */
    public AnalysisInput {
        if (durationSeconds != null && durationSeconds < 0) {
            throw new IllegalArgumentException("durationSeconds must be >= 0, was " + durationSeconds);
        }
    }

    /**
     * An input without a tenant (the global analyser settings apply).
     *
     * @param transcript      the call transcription, may be null or blank
     * @param durationSeconds the call duration in seconds, {@code >= 0}, or null
     * @param answered        whether the call was answered, or null
     * @param firstCall       whether this is the caller's first call, or null
     * @throws IllegalArgumentException if {@code durationSeconds} is negative
     */
    public AnalysisInput(String transcript, Integer durationSeconds, Boolean answered, Boolean firstCall) {
        this(transcript, durationSeconds, answered, firstCall, null);
    }

    /**
     * This input for a tenant.
     *
     * @param tenantId tenant id, or null
     * @return a copy with {@link #tenant()} replaced; never null
     */
    public AnalysisInput forTenant(String tenantId) {
        return new AnalysisInput(transcript, durationSeconds, answered, firstCall, tenantId);
    }

    /**
     * An input with a transcript and no call metadata.
     *
     * @param transcript the call transcription, may be null or blank
     * @return the input; never null
     */
    public static AnalysisInput ofTranscript(String transcript) {
        return new AnalysisInput(transcript, null, null, null, null);
    }

    /**
     * Whether there is text to analyse.
     *
     * @return true if the transcript is neither null nor blank
     */
    public boolean hasTranscript() {
        return transcript != null && !transcript.isBlank();
    }
}
