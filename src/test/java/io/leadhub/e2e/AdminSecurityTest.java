package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Who may call what, through real HTTP against the running hub (see {@code io.leadhub.security.SecurityConfig}):
 * the admin API, Hawtio and Jolokia require the admin account ({@code admin:test-admin-password} in the test
 * profile); webhooks, {@code /api/**}, health, info and Prometheus stay open.
 */
class AdminSecurityTest extends HubIntegrationTest {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "test-admin-password";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return send(http, request.build());
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- protected: 401 with a Basic challenge, wrong password rejected, admin let through

    @Test
    void adminApiWithoutCredentialsIs401WithBasicChallenge() {
        HttpResponse<String> response = get("/admin/tenants", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"LeadHub\"");
    }

    @Test
    void adminApiRejectsAWrongPassword() {
        assertThat(get("/admin/tenants", ADMIN_USER, "not-the-password").statusCode()).isEqualTo(401);
        assertThat(get("/admin/tenants", "someone", ADMIN_PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void adminApiLetsTheAdminThrough() {
        // past Spring Security: the request reaches the application (404 here while no handler answers that path)
        int status = get("/admin/no-such-resource", ADMIN_USER, ADMIN_PASSWORD).statusCode();

        assertThat(status).isNotIn(401, 403).isEqualTo(404);
    }

    @Test
    void adminApiPostNeedsNoCsrfTokenWithBasic() {
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(url("/admin/no-such-resource"))
                .header("Authorization", basic(ADMIN_USER, ADMIN_PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());

        assertThat(response.statusCode()).isNotIn(401, 403);
    }

    @Test
    void jolokiaWithoutCredentialsIs401WithBasicChallenge() {
        HttpResponse<String> response = get("/actuator/jolokia/version", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"LeadHub\"");
        assertThat(get("/actuator/jolokia", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void jolokiaRejectsAWrongPassword() {
        assertThat(get("/actuator/jolokia/version", ADMIN_USER, "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void jolokiaAnswersTheAdmin() {
        HttpResponse<String> response = get("/actuator/jolokia/version", ADMIN_USER, ADMIN_PASSWORD);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"agent\"").contains("\"status\":200");
        // the README's example: one attribute of every Camel route
        HttpResponse<String> routes = get("/actuator/jolokia/read/org.apache.camel:type=routes,*/ExchangesFailed",
                ADMIN_USER, ADMIN_PASSWORD);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"status\":200").contains("name=\\\"crm-dispatch-acme-hubspot-main\\\"")
                .contains("\"ExchangesFailed\"");
    }

    @Test
    void jolokiaPostWithoutTheCsrfTokenIsForbiddenEvenForTheAdmin() {
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(url("/actuator/jolokia"))
                .header("Authorization", basic(ADMIN_USER, ADMIN_PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void hawtioWithoutASessionRedirectsToTheLoginForm() {
        for (String path : new String[] {"/actuator/hawtio", "/actuator/hawtio/index.html", "/actuator/hawtio/jolokia/version"}) {
            HttpResponse<String> response = get(path, null, null);

            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(path).hasValue(url("/login").toString());
        }
    }

    @Test
    void loginFormRejectsAWrongPassword() {
        HttpClient browser = browser();
        send(browser, HttpRequest.newBuilder(url("/actuator/hawtio")).build());

        HttpResponse<String> login = submitLogin(browser, ADMIN_USER, "wrong");

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue(url("/login?error").toString());
        assertThat(send(browser, HttpRequest.newBuilder(url("/actuator/hawtio/index.html")).build()).statusCode())
                .isEqualTo(302);
    }

    @Test
    void loginFormOpensHawtioAndItsJolokiaWithTheCsrfCookie() {
        HttpClient browser = browser();
        send(browser, HttpRequest.newBuilder(url("/actuator/hawtio")).build());

        HttpResponse<String> login = submitLogin(browser, ADMIN_USER, ADMIN_PASSWORD);

        assertThat(login.statusCode()).isEqualTo(302);
        // back to the page that asked for the login
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).startsWith(url("/actuator/hawtio").toString()));
        HttpResponse<String> page = send(browser, HttpRequest.newBuilder(url("/actuator/hawtio/index.html")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("hawtio");

        // Hawtio's own requests: POST to its Jolokia path with the XSRF-TOKEN cookie echoed as X-XSRF-TOKEN
        String xsrf = cookie(browser, "XSRF-TOKEN");
        HttpResponse<String> jolokia = send(browser, HttpRequest.newBuilder(url("/actuator/hawtio/jolokia"))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build());
        assertThat(jolokia.statusCode()).as(jolokia.body()).isEqualTo(200);
        assertThat(jolokia.body()).contains("\"status\":200");
    }

    @Test
    void logoutEndsTheHawtioSession() {
        HttpClient browser = browser();
        send(browser, HttpRequest.newBuilder(url("/actuator/hawtio")).build());
        submitLogin(browser, ADMIN_USER, ADMIN_PASSWORD);
        assertThat(send(browser, HttpRequest.newBuilder(url("/actuator/hawtio/index.html")).build()).statusCode())
                .isEqualTo(200);

        HttpResponse<String> confirm = send(browser, HttpRequest.newBuilder(url("/logout")).build());
        assertThat(confirm.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(confirm.body());
        assertThat(csrf.find()).as(confirm.body()).isTrue();
        HttpResponse<String> logout = send(browser, HttpRequest.newBuilder(url("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(csrf.group(1)))).build());

        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(url("/login?logout").toString());
        assertThat(send(browser, HttpRequest.newBuilder(url("/actuator/hawtio/index.html")).build()).statusCode())
                .isEqualTo(302);
    }

    @Test
    void hawtioAlsoAcceptsBasicCredentials() {
        assertThat(get("/actuator/hawtio/index.html", ADMIN_USER, ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    }

    // --- open

    @Test
    void signedWebhooksNeedNoAdminCredentials() {
        HttpResponse<String> response = postCallRail(postCallBody(uniquePhone()));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void healthInfoAndPrometheusAreOpen() {
        assertThat(get("/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/info", null, null).statusCode()).isEqualTo(200);
        // 200 once micrometer-registry-prometheus is on the classpath; never an authentication answer
        assertThat(get("/actuator/prometheus", null, null).statusCode()).isNotIn(302, 401, 403);
    }

    @Test
    void apiIsOpenForNow() {
        assertThat(get("/api/no-such-resource", null, null).statusCode()).isNotIn(302, 401, 403);
    }

    @Test
    void anyOtherPathRequiresTheAdmin() {
        assertThat(get("/no-such-page", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/env", ADMIN_USER, ADMIN_PASSWORD).statusCode())
                .as("endpoints not listed in management.endpoints.web.exposure.include are not served").isEqualTo(404);
    }

    // --- helpers for a cookie-keeping client that behaves like a browser on the login form

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpResponse<String> submitLogin(HttpClient browser, String user, String password) {
        HttpResponse<String> form = send(browser, HttpRequest.newBuilder(url("/login")).build());
        assertThat(form.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).as("login form carries a CSRF token:\n" + form.body()).isTrue();
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        return send(browser, HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String cookie(HttpClient browser, String name) {
        CookieManager cookies = (CookieManager) browser.cookieHandler().orElseThrow();
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies.getCookieStore().getCookies()));
    }
}
