package io.leadhub.dispatch.customrest;

import io.leadhub.dispatch.http.Settings;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.util.Map;

/**
 * How a REST destination authenticates (tenant file {@code auth}). Secrets are {@link Secret}s and never part of
 * {@link #toString()}.
 *
 * <ul>
 *   <li>{@code none}: no authentication header;</li>
 *   <li>{@code bearer}: {@code Authorization: Bearer <token>} ({@code auth.token}, else the destination's
 *       {@code token});</li>
 *   <li>{@code basic}: {@code Authorization: Basic base64(username:password)} (RFC 7617);</li>
 *   <li>{@code api_key}: {@code <header>: <prefix><api_key>} (header default {@code X-API-Key}, no prefix);</li>
 *   <li>{@code oauth_client_credentials}: an access token from {@code token_url} (OAuth 2.0 client credentials
 *       grant, RFC 6749 section 4.4) sent as {@code Authorization: Bearer <access token>}, cached until it
 *       expires and fetched again when the API answers 401.</li>
 * </ul>
 */
public sealed interface RestAuth {

    /** @return true when the credential this scheme needs resolved empty ({@code dry_run: auto} then means dry run) */
    boolean credentialsMissing();

    /** @return the scheme name as written in the tenant file */
    String type();

    /** No authentication. */
    record None() implements RestAuth {
        @Override
        public boolean credentialsMissing() {
            return false;
        }

        @Override
        public String type() {
            return "none";
        }
    }

    /** @param token the bearer token */
    record Bearer(Secret token) implements RestAuth {
        @Override
        public boolean credentialsMissing() {
            return token.isEmpty();
        }

        @Override
        public String type() {
            return "bearer";
        }
    }

    /**
     * @param username user name (not secret)
     * @param password password
     */
    record Basic(String username, Secret password) implements RestAuth {
        @Override
        public boolean credentialsMissing() {
            return password.isEmpty();
        }

        @Override
        public String type() {
            return "basic";
        }
    }

    /**
     * @param header header name, e.g. {@code X-API-Key}
     * @param prefix text before the key, e.g. {@code Token }, or empty
     * @param key    the API key
     */
    record ApiKey(String header, String prefix, Secret key) implements RestAuth {
        @Override
        public boolean credentialsMissing() {
            return key.isEmpty();
        }

        @Override
        public String type() {
            return "api_key";
        }
    }

    /**
     * @param tokenUrl     absolute token endpoint URL
     * @param clientId     client id
     * @param clientSecret client secret
     * @param scope        space-separated scopes, or null
     * @param audience     {@code audience} parameter some servers (Auth0) require, or null
     * @param clientAuth   {@code basic} (HTTP Basic with the urlencoded client id and secret, RFC 6749
     *                     section 2.3.1, the default) or {@code body} ({@code client_id}/{@code client_secret}
     *                     form parameters)
     */
    record OAuthClientCredentials(URI tokenUrl, String clientId, Secret clientSecret, String scope, String audience,
                                  String clientAuth) implements RestAuth {
        @Override
        public boolean credentialsMissing() {
            return clientSecret.isEmpty();
        }

        @Override
        public String type() {
            return "oauth_client_credentials";
        }
    }

    /**
     * Reads the {@code auth} block of a destination.
     *
     * @param settings         the destination's settings reader
     * @param auth             the {@code auth} map; empty = {@code bearer} with the destination token when that is
     *                         set, else {@code none}
     * @param destinationToken the destination's top-level {@code token}
     * @param baseUrl          base URL a relative {@code token_url} is resolved against
     * @param defaultType      scheme when {@code auth.type} is absent and {@code auth} is not empty
     * @return the scheme
     * @throws io.leadhub.dispatch.PermanentDeliveryException naming the key when the block is incomplete
     */
    static RestAuth parse(Settings settings, Map<String, Object> auth, Secret destinationToken, URI baseUrl,
                          String defaultType) {
        Secret topToken = destinationToken == null ? Secret.empty() : destinationToken;
        if (auth.isEmpty()) {
            return topToken.isEmpty() ? new None() : new Bearer(topToken);
        }
        String type = settings.string(auth, "type", "auth.type", defaultType);
        return switch (type) {
            case "none" -> new None();
            case "bearer" -> {
                Secret token = settings.secret(auth, "token", "auth.token");
                yield new Bearer(token.isEmpty() ? topToken : token);
            }
            case "basic" -> new Basic(settings.requiredString(auth, "username", "auth.username"),
                    settings.secret(auth, "password", "auth.password"));
            case "api_key" -> new ApiKey(settings.string(auth, "header", "auth.header", "X-API-Key"),
                    settings.string(auth, "prefix", "auth.prefix", ""),
                    settings.secret(auth, "api_key", "auth.api_key"));
            case "oauth_client_credentials" -> {
                String url = settings.requiredString(auth, "token_url", "auth.token_url");
                URI tokenUrl;
                try {
                    tokenUrl = url.startsWith("/") && baseUrl != null
                            ? URI.create(trimSlash(baseUrl.toString()) + url) : URI.create(url);
                } catch (IllegalArgumentException e) {
                    throw settings.invalid("auth.token_url", "is not a URL: " + e.getMessage());
                }
                if (!tokenUrl.isAbsolute()) {
                    throw settings.invalid("auth.token_url", "must be an absolute http(s) URL or a path below base_url");
                }
                String clientAuth = settings.string(auth, "client_auth", "auth.client_auth", "basic");
                if (!clientAuth.equals("basic") && !clientAuth.equals("body")) {
                    throw settings.invalid("auth.client_auth", "must be basic or body, got '" + clientAuth + "'");
                }
                yield new OAuthClientCredentials(tokenUrl,
                        settings.requiredString(auth, "client_id", "auth.client_id"),
                        settings.secret(auth, "client_secret", "auth.client_secret"),
                        settings.string(auth, "scope", "auth.scope", null),
                        settings.string(auth, "audience", "auth.audience", null), clientAuth);
            }
            default -> throw settings.invalid("auth.type", "must be one of none, bearer, basic, api_key, "
                    + "oauth_client_credentials, got '" + type + "'");
        };
    }

    private static String trimSlash(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
