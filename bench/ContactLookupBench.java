import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;

/**
 * Benchmark helper of bench/contact-lookup (run as a single-file Java program on the hub's classpath).
 *
 * <pre>
 * seed JDBC_URL USER PASSWORD TENANT COUNT
 *     migrates the schema (Flyway, classpath:db/migration) and inserts COUNT contacts with phones
 *     +1404{2000000+i}, each with one CRM id, one delivery and one call with an analysis
 * load BASE_URL TENANT API_KEY COUNT REQUESTS CONCURRENCY
 *     GETs /api/tenants/TENANT/contacts/lookup?phone=... for random seeded phones (200 warm-up requests first)
 *     and prints latency percentiles in milliseconds
 * </pre>
 */
public class ContactLookupBench {

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && "seed".equals(args[0])) {
            seed(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
        } else if (args.length == 7 && "load".equals(args[0])) {
            load(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
        } else {
            System.err.println("usage: seed JDBC_URL USER PASSWORD TENANT COUNT | load BASE_URL TENANT API_KEY COUNT REQUESTS CONCURRENCY");
            System.exit(2);
        }
    }

    static String phone(int i) {
        return "+1404" + (2000000 + i);
    }

    static void seed(String url, String user, String password, String tenant, int count) throws Exception {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            db.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            String ai = "{\"intent\":\"quote_request\",\"project_type\":\"kitchen\",\"timeline\":\"1-3_months\","
                    + "\"budget_indicator\":\"high\",\"sentiment\":\"positive\",\"lead_score\":85,\"urgency\":\"high\","
                    + "\"analyzer\":\"rules\"}";
            try (PreparedStatement contacts = db.prepareStatement("INSERT INTO contacts (id, tenant, phone_e164, email,"
                    + " first_name, last_name, interactions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)");
                 PreparedStatement crm = db.prepareStatement("INSERT INTO contact_crm_ids (contact_id, destination_id,"
                         + " crm_record_id, updated_at) VALUES (?, 'crm', ?, ?)");
                 PreparedStatement deliveries = db.prepareStatement("INSERT INTO deliveries (tenant, destination_id,"
                         + " event_id, attempt, outcome, http_status, crm_record_id, duration_ms, created_at, contact_id)"
                         + " VALUES (?, 'crm', ?, 1, 'created', 201, ?, 120, ?, ?)");
                 PreparedStatement calls = db.prepareStatement("INSERT INTO contact_calls (event_id, tenant, contact_id,"
                         + " source, received_at, call_json, ai_json) VALUES (?, ?, ?, 'callrail', ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    String id = UUID.randomUUID().toString();
                    String event = UUID.randomUUID().toString();
                    contacts.setString(1, id);
                    contacts.setString(2, tenant);
                    contacts.setString(3, phone(i));
                    contacts.setString(4, "lead" + i + "@example.com");
                    contacts.setString(5, "Lead");
                    contacts.setString(6, "Number" + i);
                    contacts.setTimestamp(7, now);
                    contacts.setTimestamp(8, now);
                    contacts.addBatch();
                    crm.setString(1, id);
                    crm.setString(2, String.valueOf(100000 + i));
                    crm.setTimestamp(3, now);
                    crm.addBatch();
                    deliveries.setString(1, tenant);
                    deliveries.setString(2, event);
                    deliveries.setString(3, String.valueOf(100000 + i));
                    deliveries.setTimestamp(4, now);
                    deliveries.setString(5, id);
                    deliveries.addBatch();
                    calls.setString(1, event);
                    calls.setString(2, tenant);
                    calls.setString(3, id);
                    calls.setTimestamp(4, now);
                    calls.setString(5, "{\"duration_seconds\":120,\"answered\":true}");
                    calls.setString(6, ai);
                    calls.addBatch();
                    if (i % 5000 == 4999 || i == count - 1) {
                        contacts.executeBatch();
                        crm.executeBatch();
                        deliveries.executeBatch();
                        calls.executeBatch();
                        db.commit();
                    }
                }
            }
        }
        System.out.printf("seeded %d contacts (with CRM ids, deliveries and calls) in %.1f s%n", count,
                (System.nanoTime() - started) / 1e9);
    }

    static void load(String baseUrl, String tenant, String apiKey, int count, int requests, int concurrency)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 200; i++) {
            call(http, baseUrl, tenant, apiKey, count);
        }
        long[] latencies = new long[requests];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                for (int i = worker; i < requests; i += concurrency) {
                    latencies[i] = call(http, baseUrl, tenant, apiKey, count);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        System.out.printf("contact lookup: %d requests, concurrency %d, %d contacts, %.0f req/s%n", requests,
                concurrency, count, requests / seconds);
        System.out.printf("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", pct(latencies, 50),
                pct(latencies, 95), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
    }

    static long call(HttpClient http, String baseUrl, String tenant, String apiKey, int count) throws Exception {
        String phone = phone(ThreadLocalRandom.current().nextInt(count)).replace("+", "%2B");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/tenants/" + tenant
                + "/contacts/lookup?phone=" + phone)).header("X-API-Key", apiKey).GET().build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - t0;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("lookup answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return elapsed;
    }

    static double pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
