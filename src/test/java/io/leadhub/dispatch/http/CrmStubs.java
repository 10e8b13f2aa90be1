package io.leadhub.dispatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.mapping.MappingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test helpers shared by the Pipedrive, Zoho, Dynamics and monday.com connector tests. */
public final class CrmStubs {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    public static final String PHONE = "+14045558514";
    public static final String EMAIL = "jane.doe@example.com";

    private CrmStubs() {
    }

    /** @return the lead, call and AI maps of "Jane Doe", a kitchen remodel call with a transcript */
    public static MappingContext context() {
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone", PHONE);
        lead.put("email", EMAIL);
        lead.put("first_name", "Jane");
        lead.put("last_name", "Doe");
        lead.put("full_name", "Jane Doe");
        lead.put("city", "Marietta");
        lead.put("state", "GA");
        lead.put("country", "US");
        Map<String, Object> call = new HashMap<>();
        call.put("transcription", "Hi, we want a new kitchen.\nBudget is about 40k <soon>.");
        Map<String, Object> ai = new HashMap<>();
        ai.put("project_type", "kitchen");
        ai.put("lead_score", 85);
        return new MappingContext(lead, call, ai);
    }

    /** @return requests received, oldest first, as {@code METHOD path} (no query) */
    public static List<String> requestLog(WireMockServer server) {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        List<String> log = new ArrayList<>();
        for (ServeEvent e : events) {
            String url = e.getRequest().getUrl();
            int q = url.indexOf('?');
            log.add(e.getRequest().getMethod().getName() + " " + (q < 0 ? url : url.substring(0, q)));
        }
        return log;
    }

    /** @return the bodies of the requests received, oldest first, parsed as JSON */
    public static List<JsonNode> requestBodies(WireMockServer server) {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> json(e.getRequest().getBodyAsString())).toList();
    }

    /** @return file names in the folder, sorted; empty when it does not exist */
    public static List<String> fileNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the file as JSON */
    public static JsonNode readJson(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the text parsed as JSON (null node for an empty text) */
    public static JsonNode json(String text) {
        try {
            return text == null || text.isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that no text of the exception (message, cause chain) contains the secret. */
    public static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    /** @return {@link #context()} as the enriched lead a {@code DeliveryRequest} carries */
    public static io.leadhub.event.EnrichedLead event() {
        MappingContext c = context();
        return new io.leadhub.event.EnrichedLead("ev-1", "acme", "callrail", "post_call", "post_call:CAL1",
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, c.lead(), c.call(), c.ai(), java.util.List.of());
    }
}
