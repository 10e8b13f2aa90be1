package io.leadhub.dispatch.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.UriUtils;

/**
 * Builds CRM request URLs from a destination's base URL, strictly encoded: a {@code +} in an E.164 phone number
 * becomes {@code %2B} (a bare {@code +} in a query means a space), a space {@code %20}, and {@code &}, {@code =} or {@code +} in a
 * secret cannot break the query. Stateless.
 */
public final class CrmUrls {

    private CrmUrls() {
    }

    /**
     * @param base   base URL, with or without a path prefix and trailing slash, e.g. {@code https://api.pipedrive.com}
     *               or {@code https://acme.pipedrive.com/api/}
     * @param path   path below it, already encoded, starting with {@code /}, e.g. {@code /v1/persons/17}
     * @param query  query parameters in order (raw values, encoded here); null values are left out; may be empty
     * @return the absolute URL
     */
    public static URI url(URI base, String path, Map<String, ?> query) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        String q = query == null ? "" : formEncode(query);
        return URI.create(b + path + (q.isEmpty() ? "" : "?" + q));
    }

    /**
     * @param fields names and raw values, in order; null values are left out; a {@code $} in a name stays as is
     *               (OData's {@code $filter})
     * @return {@code application/x-www-form-urlencoded} text, e.g. {@code term=%2B14045558514&exact_match=true}
     */
    public static String formEncode(Map<String, ?> fields) {
        return fields.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()).replace("%24", "$") + "=" + enc(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
    }

    /**
     * @param segment one raw path segment, e.g. a record id
     * @return the segment percent-encoded for a path (RFC 3986 pchar: {@code /}, {@code ?}, {@code #}, spaces encoded)
     */
    public static String segment(String segment) {
        return UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8);
    }

    private static String enc(String value) {
        // URLEncoder writes a space as '+'; %20 means a space in every query and form parser (OData included)
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
