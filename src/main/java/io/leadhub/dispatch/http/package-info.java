/**
 * HTTP plumbing shared by every connector that talks plain HTTP: the CRM connectors ({@code pipedrive},
 * {@code zoho}, {@code dynamics}, {@code monday}, {@code perfex}), the configurable ones ({@code custom_rest},
 * {@code leadpro}) and {@code webhook} (HubSpot and Salesforce have clients of their own).
 * <ul>
 *   <li>Requests and sending: {@link io.leadhub.dispatch.http.OutboundRequest} (built with its builder; knows its
 *       secret headers, query parameters and form fields), sent by {@link io.leadhub.dispatch.http.OutboundHttp}
 *       (JDK HTTP client, one bean {@code outboundHttp}) as an {@link io.leadhub.dispatch.http.OutboundResponse};
 *       URLs built and encoded by {@link io.leadhub.dispatch.http.CrmUrls}.</li>
 *   <li>Dry runs: {@link io.leadhub.dispatch.http.DryRunFiles} writes the requests as JSON files, secrets masked,
 *       and ends every connector's dry run ({@code DryRunFiles.dryRun}: files, one log line, the result).</li>
 *   <li>Errors: {@link io.leadhub.dispatch.http.StatusPolicy} decides which answers are retried ({@code retry_on},
 *       default 408, 429, 5xx) and builds the exception, {@link io.leadhub.dispatch.http.RetryAfter} reads the
 *       wait a server asks for, {@link io.leadhub.dispatch.http.ErrorDetail} summarises an error body and builds
 *       the message, {@link io.leadhub.dispatch.http.PiiMask} masks the lead's phone and e-mail in it.</li>
 *   <li>Settings and lead data: {@link io.leadhub.dispatch.http.Settings} reads a destination's settings with
 *       errors that name the key, {@link io.leadhub.dispatch.http.LeadFields} the lead values connectors fall
 *       back on, {@link io.leadhub.dispatch.http.JsonTrees} converts values to and reads Jackson trees.</li>
 *   <li>Authentication: {@link io.leadhub.dispatch.http.AccessTokenCache} keeps OAuth access tokens per
 *       destination and credential set (Zoho CRM, Dynamics 365; also the rate-limit key of Pipedrive's token).</li>
 * </ul>
 */
package io.leadhub.dispatch.http;
