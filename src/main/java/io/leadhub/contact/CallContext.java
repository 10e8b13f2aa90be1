package io.leadhub.contact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a voice agent injects into its prompt before calling a contact: who the lead is, why to call, how often they
 * called, what earlier calls were about, their preferences and notes. Built from the contact index row and the
 * contact's latest calls ({@link ContactCalls}); immutable.
 *
 * @param lead          {@code id, phone, email, firstName, lastName, interactions, createdAt, updatedAt}
 * @param objective     why to call, from the latest analysis' {@code suggested_action} or else its intent and project
 * @param attempts      how many calls the contact made so far (the contact index' {@code interactions})
 * @param previousCalls newest first: {@code at, source, direction, durationSeconds, answered, summary}
 * @param preferences   from the latest analysis: {@code projectType, timeline, budget, interests, suggestedFollowUp}
 *                      (only known values)
 * @param notes         de-duplicated notes: call notes, concerns and key topics of the latest calls
 */
public record CallContext(Map<String, Object> lead, String objective, long attempts,
                          List<Map<String, Object>> previousCalls, Map<String, Object> preferences,
                          List<String> notes) {

    /**
     * Builds the context.
     *
     * @param contact the contact as the lookup API renders it
     * @param calls   the latest calls, newest first
     * @return the context; never null
     */
    public static CallContext of(Map<String, Object> contact, List<ContactCalls.Call> calls) {
        Map<String, Object> latestAi = calls.isEmpty() || calls.get(0).ai() == null ? Map.of() : calls.get(0).ai();
        List<Map<String, Object>> previous = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        for (ContactCalls.Call call : calls) {
            Map<String, Object> ai = call.ai() == null ? Map.of() : call.ai();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("at", call.receivedAt().toString());
            p.put("source", call.source());
            p.put("direction", call.call().get("direction"));
            p.put("durationSeconds", call.call().get("duration_seconds"));
            p.put("answered", call.call().get("answered"));
            p.put("summary", summary(call.call(), ai));
            previous.add(p);
            addText(notes, call.call().get("note"));
            addList(notes, ai.get("concerns"), "concern: ");
            addList(notes, ai.get("key_topics"), "topic: ");
        }
        Map<String, Object> prefs = new LinkedHashMap<>();
        putKnown(prefs, "projectType", latestAi.get("project_type"));
        putKnown(prefs, "timeline", latestAi.get("timeline"));
        putKnown(prefs, "budget", latestAi.get("budget_indicator"));
        if (latestAi.get("interests") instanceof List<?> interests && !interests.isEmpty()) {
            prefs.put("interests", interests);
        }
        putKnown(prefs, "suggestedFollowUp", latestAi.get("suggested_follow_up"));
        Object interactions = contact.get("interactions");
        long attempts = interactions instanceof Number n ? n.longValue() : calls.size();
        return new CallContext(contact, objective(latestAi), attempts, previous, prefs, List.copyOf(notes));
    }

    /**
     * The context as JSON-ready map.
     *
     * @return {@code {lead, callObjective, attempts, previousCalls, preferences, notes, text}}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lead", lead);
        out.put("callObjective", objective);
        out.put("attempts", attempts);
        out.put("previousCalls", previousCalls);
        out.put("preferences", preferences);
        out.put("notes", notes);
        out.put("text", text());
        return out;
    }

    /**
     * The context as plain English text, ready to be put into a voice agent's prompt.
     *
     * @return lines {@code Lead:}, {@code Phone:}, {@code Objective:}, {@code Attempts:}, {@code Preferences:},
     *         {@code Previous calls:} (one {@code - } line each) and {@code Notes:}; never null
     */
    public String text() {
        StringBuilder b = new StringBuilder();
        String name = (nz(lead.get("firstName")) + " " + nz(lead.get("lastName"))).trim();
        b.append("Lead: ").append(name.isEmpty() ? "unknown name" : name).append('\n');
        if (lead.get("phone") != null) {
            b.append("Phone: ").append(lead.get("phone")).append('\n');
        }
        if (lead.get("email") != null) {
            b.append("E-mail: ").append(lead.get("email")).append('\n');
        }
        b.append("Objective: ").append(objective).append('\n');
        b.append("Attempts: ").append(attempts).append(attempts == 1 ? " call so far" : " calls so far").append('\n');
        if (!preferences.isEmpty()) {
            List<String> parts = new ArrayList<>();
            preferences.forEach((k, v) -> parts.add(k + " " + (v instanceof List<?> l ? String.join(", ",
                    l.stream().map(String::valueOf).toList()) : v)));
            b.append("Preferences: ").append(String.join("; ", parts)).append('\n');
        }
        if (!previousCalls.isEmpty()) {
            b.append("Previous calls:\n");
            for (Map<String, Object> c : previousCalls) {
                b.append("- ").append(c.get("at"));
                if (c.get("durationSeconds") != null) {
                    b.append(", ").append(c.get("durationSeconds")).append(" s");
                }
                if (Boolean.FALSE.equals(c.get("answered"))) {
                    b.append(", missed");
                }
                b.append(": ").append(c.get("summary")).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            b.append("Notes:\n");
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    private static String objective(Map<String, Object> ai) {
        if (ai.get("suggested_action") instanceof String action && !action.isBlank()) {
            return action;
        }
        String project = known(ai.get("project_type")) ? ai.get("project_type").toString().replace('_', ' ')
                + " project" : "their project";
        Object intent = ai.get("intent");
        if ("quote_request".equals(intent)) {
            return "Follow up on the quote request for " + project;
        }
        if ("appointment_booking".equals(intent)) {
            return "Book the requested appointment for " + project;
        }
        if ("information_seeking".equals(intent)) {
            return "Answer the caller's questions about " + project;
        }
        return "Qualify the lead and learn about " + project;
    }

    private static String summary(Map<String, Object> call, Map<String, Object> ai) {
        if (ai.get("summary") instanceof String s && !s.isBlank()) {
            return s;
        }
        if (call.get("summary") instanceof String s && !s.isBlank()) {
            return s;
        }
        List<String> parts = new ArrayList<>();
        if (known(ai.get("intent"))) {
            parts.add(ai.get("intent").toString().replace('_', ' '));
        }
        if (known(ai.get("project_type"))) {
            parts.add("project " + ai.get("project_type"));
        }
        if (known(ai.get("timeline"))) {
            parts.add("timeline " + ai.get("timeline"));
        }
        if (known(ai.get("budget_indicator"))) {
            parts.add("budget " + ai.get("budget_indicator"));
        }
        if (ai.get("sentiment") != null) {
            parts.add("sentiment " + ai.get("sentiment"));
        }
        return parts.isEmpty() ? "no details" : String.join(", ", parts);
    }

    private static boolean known(Object value) {
        return value != null && !"unknown".equals(value) && !"other".equals(value);
    }

    private static void putKnown(Map<String, Object> map, String key, Object value) {
        if (known(value)) {
            map.put(key, value);
        }
    }

    private static void addText(Set<String> notes, Object value) {
        if (value instanceof String s && !s.isBlank()) {
            notes.add(s.strip());
        }
    }

    private static void addList(Set<String> notes, Object value, String prefix) {
        if (value instanceof List<?> list) {
            list.forEach(v -> {
                if (v instanceof String s && !s.isBlank()) {
                    notes.add(prefix + s.strip());
                }
            });
        }
    }

    private static String nz(Object value) {
        return value == null ? "" : value.toString();
    }
}
