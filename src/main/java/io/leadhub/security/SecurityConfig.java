package io.leadhub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may call what over HTTP.
 *
 * <table>
 *   <caption>Access rules</caption>
 *   <tr><th>Paths</th><th>Access</th><th>How</th></tr>
 *   <tr><td>{@code /webhooks/**}</td><td>open (every webhook is signed and verified per tenant)</td><td>no CSRF</td></tr>
 *   <tr><td>{@code /api/**}</td><td>open for now (per-tenant API keys come later)</td><td>no CSRF</td></tr>
 *   <tr><td>{@code /actuator/health/**}, {@code /actuator/info}, {@code /actuator/prometheus}</td><td>open</td><td></td></tr>
 *   <tr><td>{@code /admin/**}</td><td>admin account</td><td>HTTP Basic (401 + {@code WWW-Authenticate}), no CSRF</td></tr>
 *   <tr><td>{@code /actuator/jolokia/**}</td><td>admin account</td><td>HTTP Basic or the Hawtio session; POSTs need the CSRF token</td></tr>
 *   <tr><td>{@code /actuator/hawtio/**}</td><td>admin account</td><td>form login: redirect to {@code /login}, session cookie,
 *       CSRF token in the {@code XSRF-TOKEN} cookie that Hawtio echoes as {@code X-XSRF-TOKEN}</td></tr>
 *   <tr><td>anything else</td><td>admin account</td><td>HTTP Basic</td></tr>
 * </table>
 *
 * <p>Hawtio's own authentication ({@code hawtio.authenticationEnabled}) is off: Hawtio's Spring Security bridge
 * (the separate {@code hawtio-springboot-security} module) is not used, so Spring Security alone guards the
 * console and its Jolokia, following Hawtio's Spring Security guide (form login, cookie CSRF token for its
 * single-page app).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfig {

    /** Paths open without credentials. */
    static final String[] OPEN_PATHS = {
            "/webhooks/**", "/api/**", "/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/error"};

    /** Hawtio console (HTML, scripts and its forwarding path to Jolokia). */
    static final String HAWTIO_PATHS = "/actuator/hawtio/**";

    /** Jolokia, the JMX-over-HTTP agent behind Hawtio. */
    static final String JOLOKIA_PATHS = "/actuator/jolokia/**";

    /** The admin API. */
    static final String ADMIN_PATHS = "/admin/**";

    private static final String REALM = "LeadHub";

    /**
     * @param http Spring Security's builder
     * @return the single filter chain of the hub
     * @throws Exception from the builder
     */
    @Bean
    SecurityFilterChain leadHubSecurityFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher hawtio = path(HAWTIO_PATHS);
        RequestMatcher jolokia = path(JOLOKIA_PATHS);
        RequestMatcher consoleOrLogin = new OrRequestMatcher(hawtio, jolokia, path("/login"), path("/logout"));
        HttpSessionRequestCache hawtioPagesOnly = new HttpSessionRequestCache();
        hawtioPagesOnly.setRequestMatcher(hawtio);

        http
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(paths(OPEN_PATHS)).permitAll()
                        .requestMatchers(path(ADMIN_PATHS), hawtio, jolokia).authenticated()
                        .anyRequest().authenticated())
                .formLogin(form -> form.permitAll())
                .logout(logout -> logout.permitAll())
                .httpBasic(basic -> basic.realmName(REALM))
                .requestCache(cache -> cache.requestCache(hawtioPagesOnly))
                .exceptionHandling(errors -> errors
                        // Hawtio pages redirect to the login form; everything else answers 401 with a Basic
                        // challenge. (Mappings, not one entry point, so Spring Security still serves its login page.)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), hawtio)
                        .defaultAuthenticationEntryPointFor(basicChallenge(), AnyRequestMatcher.INSTANCE))
                .csrf(csrf -> csrf
                        .ignoringRequestMatchers(path("/webhooks/**"), path("/api/**"), path(ADMIN_PATHS))
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SinglePageAppCsrfTokenRequestHandler()))
                .addFilterAfter(new CsrfCookieFilter(consoleOrLogin), BasicAuthenticationFilter.class);
        return http.build();
    }

    /**
     * @param credentials the resolved operator account
     * @return a user store holding that one account (role {@code ADMIN}, password BCrypt-hashed)
     */
    @Bean
    UserDetailsService adminUserDetailsService(AdminCredentials credentials) {
        String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(credentials.password());
        return new InMemoryUserDetailsManager(User.withUsername(credentials.username()).password(hash)
                .roles("ADMIN").build());
    }

    private static AuthenticationEntryPoint basicChallenge() {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        return basic;
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RequestMatcher[] paths(String... patterns) {
        RequestMatcher[] matchers = new RequestMatcher[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            matchers[i] = path(patterns[i]);
        }
        return matchers;
    }

    /**
     * CSRF tokens for a single-page app (Spring Security reference, "Single-Page Applications"): a token sent in
     * the {@code X-XSRF-TOKEN} header (Hawtio copies the raw cookie value) is compared as is; a token sent as the
     * {@code _csrf} form field (the login form) is the BREACH-masked one rendered into the page.
     */
    static final class SinglePageAppCsrfTokenRequestHandler implements CsrfTokenRequestHandler {

        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
            masked.handle(request, response, csrfToken);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
            boolean fromHeader = StringUtils.hasText(request.getHeader(csrfToken.getHeaderName()));
            return (fromHeader ? plain : masked).resolveCsrfTokenValue(request, csrfToken);
        }
    }

    /**
     * Loads the deferred CSRF token on console and login requests so that the {@code XSRF-TOKEN} cookie is
     * (re)written, e.g. right after login, before Hawtio's first POST to Jolokia.
     */
    static final class CsrfCookieFilter extends OncePerRequestFilter {

        private final RequestMatcher applies;

        CsrfCookieFilter(RequestMatcher applies) {
            this.applies = applies;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !applies.matches(request);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
