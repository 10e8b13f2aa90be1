package io.leadhub.mapping;

import java.util.Map;

/**
 * The data a tenant's expressions see for one lead: the CEL variables {@code lead}, {@code call} and {@code ai}.
 *
 * <p>Each map holds the documented keys (see {@code docs/tenant-file.md}); a key whose value is unknown should be
 * present with a {@code null} value so that expressions such as {@code lead.email != null} work (reading a missing
 * key is an evaluation error in CEL). Values may be any type {@link CelValues#toCel(Object)} accepts: String,
 * Boolean, any Number, {@link java.time.Instant}, {@link java.time.Duration}, nested Map/List and {@code null}.
 * A {@code null} map is treated as an empty map.
 *
 * @param lead the lead: {@code phone} (E.164 or null), {@code phone_raw}, {@code email}, {@code first_name},
 *             {@code last_name}, {@code full_name}, {@code city}, {@code state}, {@code country},
 *             {@code contact_id}, {@code returning} (bool), {@code source}
 * @param call the call or submission that produced the lead: {@code id}, {@code event_type}, {@code direction},
 *             {@code duration_seconds} (int), {@code answered} (bool), {@code recording_url}, {@code transcription},
 *             {@code summary}, {@code source_name}, {@code tracking_phone_number}, {@code business_phone_number},
 *             {@code start_time} (ISO-8601 string), {@code tags} (list), {@code landing_page_url}, {@code referrer},
 *             {@code utm_source}, {@code utm_medium}, {@code utm_campaign}, {@code gclid}, {@code first_call}
 *             (bool), {@code lead_status}, {@code value}, {@code note}
 * @param ai   the AI analysis: {@code intent}, {@code project_type}, {@code timeline}, {@code budget_indicator},
 *             {@code sentiment}, {@code lead_score} (int), {@code urgency}, {@code analyzer}
 */
public record MappingContext(Map<String, Object> lead, Map<String, Object> call, Map<String, Object> ai) {
}
