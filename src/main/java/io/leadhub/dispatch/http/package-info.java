/**
 * HTTP plumbing shared by the REST-style connectors ({@code custom_rest}, {@code webhook}, {@code perfex},
 * {@code leadpro}): sending one request through the JDK HTTP client ({@link io.leadhub.dispatch.http.OutboundHttp}),
 * deciding which answers are retried ({@link io.leadhub.dispatch.http.StatusPolicy}, HTTP {@code Retry-After}),
 * writing dry-run request files ({@link io.leadhub.dispatch.http.DryRunFiles}) and reading destination settings
 * with errors that name the key ({@link io.leadhub.dispatch.http.Settings}).
 */
package io.leadhub.dispatch.http;
