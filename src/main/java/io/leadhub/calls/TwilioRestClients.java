package io.leadhub.calls;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import io.leadhub.inbound.twilio.TwilioSettings;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.springframework.stereotype.Component;

/**
 * twilio-java REST clients, one per tenant credentials and API base URL (cached, thread-safe).
 *
 * <p>With the default {@code sources.twilio.api_base_url} ({@value TwilioSettings#DEFAULT_API_BASE_URL}) the client
 * is twilio-java's own {@link NetworkHttpClient}. Another base URL (a stub in tests, a staging mock) is applied with
 * twilio-java's supported extension point, {@link NetworkHttpClient#NetworkHttpClient(HttpClientBuilder)}: the
 * Apache HttpClient 5 builder gets a route planner that connects every request to that base URL's scheme, host
 * and port, while twilio-java still builds the request (path {@code /2010-04-01/Accounts/<sid>/Calls.json},
 * form parameters, Basic auth) exactly as for {@code api.twilio.com}. Only the origin of the base URL is used.
 */
@Component("twilioRestClients")
public class TwilioRestClients {

    private record Key(String accountSid, Secret authToken, URI apiBaseUrl) {
    }

    private final ConcurrentMap<Key, TwilioRestClient> clients = new ConcurrentHashMap<>();

    /**
     * @param settings a tenant's Twilio settings with {@code account_sid} and {@code auth_token}
     * @return the REST client for its account (username = Account SID, password = Auth Token)
     */
    public TwilioRestClient client(TwilioSettings settings) {
        Key key = new Key(settings.accountSid(), settings.authToken(), settings.apiBaseUrl());
        return clients.computeIfAbsent(key, k -> new TwilioRestClient.Builder(k.accountSid(), k.authToken().reveal())
                .httpClient(httpClient(k.apiBaseUrl()))
                .build());
    }

    /**
     * @param apiBaseUrl where requests go
     * @return twilio-java's default client for {@value TwilioSettings#DEFAULT_API_BASE_URL}, else one routed to the
     *         base URL's origin
     */
    static HttpClient httpClient(URI apiBaseUrl) {
        if (URI.create(TwilioSettings.DEFAULT_API_BASE_URL).equals(apiBaseUrl)) {
            return new NetworkHttpClient();
        }
        boolean https = "https".equalsIgnoreCase(apiBaseUrl.getScheme());
        int port = apiBaseUrl.getPort() != -1 ? apiBaseUrl.getPort() : https ? 443 : 80;
        HttpHost origin = new HttpHost(https ? "https" : "http", apiBaseUrl.getHost(), port);
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(10, TimeUnit.SECONDS)
                                .setSocketTimeout(30, TimeUnit.SECONDS)
                                .build())
                        .build())
                .setRoutePlanner((target, context) -> new HttpRoute(origin, null, https));
        return new NetworkHttpClient(builder);
    }
}
