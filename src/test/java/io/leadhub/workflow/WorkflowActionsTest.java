package io.leadhub.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadhub.TestDatabase;
import io.leadhub.TestSettings;
import io.leadhub.calls.TwilioRestClients;
import io.leadhub.contact.ContactIndex;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.hubspot.HubSpotWorkflowWriter;
import io.leadhub.dispatch.pipedrive.PipedriveConnector;
import io.leadhub.dispatch.pipedrive.PipedriveWorkflowWriter;
import io.leadhub.event.EnrichedLead;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

class WorkflowActionsTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final com.icegreen.greenmail.junit5.GreenMailExtension SMTP =
            new com.icegreen.greenmail.junit5.GreenMailExtension(
                    com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());

    /** 15:00 UTC = 10:00 in New York: outside the quiet hours. */
    private static final Instant DAY = Instant.parse("2026-03-02T15:00:00Z");
    /** 03:00 UTC = 22:00 in New York: inside quiet hours 21:00-08:00. */
    private static final Instant NIGHT = Instant.parse("2026-03-03T03:00:00Z");
    private static final String PHONE = "+14045558514";

    private static WireMockServer stub;

    @TempDir
    Path dir;

    private final TestDatabase db = TestDatabase.create();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    private ContactIndex contacts;
    private WorkflowActionLog log;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeAll
    static void startStub() {
        stub = new WireMockServer(options().dynamicPort());
        stub.start();
    }

    @AfterAll
    static void stopStub() {
        stub.stop();
    }

    @BeforeEach
    void stubs() {
        stub.resetAll();
        stub.stubFor(post(urlEqualTo("/slack/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
        stub.stubFor(post(urlEqualTo("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SM1\",\"status\":\"queued\"}")));
        stub.stubFor(post(urlEqualTo("/crm/v3/objects/tasks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"9001\"}")));
        stub.stubFor(patch(urlEqualTo("/crm/v3/objects/contacts/501")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"501\"}")));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private WorkflowActions actions(String yaml, Instant now) throws Exception {
        Files.writeString(dir.resolve("wf.yaml"), yaml);
        Map<String, String> env = new HashMap<>();
        env.put("STUB", stub.baseUrl());
        env.put("SLACK", stub.baseUrl() + "/slack/hook");
        env.put("TOKEN", "pat-SECRET");
        env.put("TWILIO_TOKEN", "twilio-SECRET");
        env.put("SMTP_PORT", String.valueOf(SMTP.getSmtp().getPort()));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        TenantRegistry tenants = new TenantRegistry(dir, new TenantFileLoader(env::get, "US", clock, null));
        assertThat(tenants.errors()).isEmpty();
        contacts = new ContactIndex(db.jdbc(), Optional.of(clock));
        log = new WorkflowActionLog(db.jdbc(), Optional.of(clock));
        return new WorkflowActions(json, tenants, log, contacts, new TwilioRestClients(), RestClient.builder(),
                List.of(new HubSpotWorkflowWriter(json, RestClient.builder()), new PipedriveWorkflowWriter(
                        new PipedriveConnector(new OutboundHttp(RestClient.builder()), json), json)),
                TestSettings.with(Map.of("leadhub.data-dir", dir.resolve("data").toString())), new WorkflowMail(),
                new WorkflowMetrics(meters, tenants, db.jdbc()), Optional.of(clock));
    }

    private static String tenant(String triggers) {
        return """
                tenant: wf
                timezone: America/New_York
                sources:
                  twilio:
                    account_sid: AC0123456789abcdef0123456789abcdef
                    auth_token: ${TWILIO_TOKEN}
                    api_base_url: ${STUB}
                destinations:
                  - { id: hs, type: hubspot, base_url: "${STUB}", token: "${TOKEN}" }
                workflow:
                  notification: { slack_webhook_url: "${SLACK}" }
                  sms: { from: "+14045550100", quiet_hours: { start: "21:00", end: "08:00" } }
                workflow_triggers:
                """ + triggers;
    }

    private String lead(String eventId, int score) throws Exception {
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone", PHONE);
        lead.put("first_name", "Jane");
        lead.put("full_name", "Jane Doe");
        lead.put("contact_id", "c-1");
        return json.writeValueAsString(new EnrichedLead(eventId, "wf", "callrail", "call_completed", "p-" + eventId,
                DAY, DAY, lead, Map.of(), Map.of("lead_score", score, "urgency", "high"), List.of()));
    }

    @Test
    void aMatchingTriggerNotifiesOnceEvenWhenTheLeadComesAgain() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - name: hot
                    when: "ai.lead_score > 80"
                    actions: [send_notification]
                    params: { message: "Hot lead {lead.first_name} ({ai.urgency})" }
                """), DAY);

        assertThat(actions.run(lead("e1", 90))).containsEntry("hot|send_notification", "done");
        assertThat(actions.run(lead("e1", 90))).containsEntry("hot|send_notification", "done");
        assertThat(actions.run(lead("e2", 10))).isEmpty();

        stub.verify(1, postRequestedFor(urlEqualTo("/slack/hook"))
                .withRequestBody(equalToJson("{\"text\":\"Hot lead Jane (high)\"}")));
    }

    @Test
    void smsGoesThroughTwilioOutsideQuietHours() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - { name: sms, when: "true", actions: [send_sms], params: { message: "Hi {lead.first_name}" } }
                """), DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("sms|send_sms", "done");

        stub.verify(1, postRequestedFor(urlEqualTo("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Body=Hi+Jane"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("To=%2B14045558514")));
    }

    @Test
    void smsInQuietHoursIsDeferredToTheirEnd() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - { name: sms, when: "true", actions: [send_sms] }
                """), NIGHT);

        assertThat(actions.run(lead("e1", 50))).containsEntry("sms|send_sms", "deferred");

        Map<String, Object> row = db.jdbc().queryForMap("SELECT * FROM workflow_actions");
        assertThat(((java.time.OffsetDateTime) row.get("DUE_AT")).toInstant())
                .isEqualTo(Instant.parse("2026-03-03T13:00:00Z"));
        stub.verify(0, postRequestedFor(urlEqualTo("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")));
    }

    @Test
    void createTaskAndAssignOwnerWriteToHubSpotForTheIndexedContact() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - name: hot
                    when: "true"
                    actions: [create_task, assign_owner]
                    params: { due_in_days: 2, subject: "Call {lead.full_name}", owners: ["11", "22"] }
                """), DAY);
        String contactId = contacts.upsert("wf", PHONE, null, "Jane", "Doe").contactId();
        contacts.rememberRecordId(contactId, "hs", "501");

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|create_task", "done")
                .containsEntry("hot|assign_owner", "done");
        actions.run(lead("e2", 50));

        stub.verify(2, postRequestedFor(urlEqualTo("/crm/v3/objects/tasks"))
                .withHeader("Authorization", equalTo("Bearer pat-SECRET"))
                .withRequestBody(matchingJsonPath("$.properties.hs_task_subject", equalTo("Call Jane Doe")))
                .withRequestBody(matchingJsonPath("$.properties.hs_task_status", equalTo("NOT_STARTED")))
                .withRequestBody(matchingJsonPath("$.properties.hs_task_priority", equalTo("HIGH")))
                .withRequestBody(matchingJsonPath("$.properties.hs_timestamp", equalTo("2026-03-04T05:00:00Z")))
                .withRequestBody(matchingJsonPath("$.associations[0].to.id", equalTo("501")))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("204"))));
        stub.verify(1, patchRequestedFor(urlEqualTo("/crm/v3/objects/contacts/501"))
                .withRequestBody(equalToJson("{\"properties\":{\"hubspot_owner_id\":\"11\"}}")));
        stub.verify(1, patchRequestedFor(urlEqualTo("/crm/v3/objects/contacts/501"))
                .withRequestBody(equalToJson("{\"properties\":{\"hubspot_owner_id\":\"22\"}}")));
    }

    @Test
    void anUnknownHubSpotContactIsRetriedLaterWithoutRepeatingFinishedActions() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - { name: hot, when: "true", actions: [send_notification, create_task] }
                """), DAY);

        assertThatThrownBy(() -> actions.run(lead("e1", 50))).isInstanceOf(TransientDeliveryException.class);
        String contactId = contacts.upsert("wf", PHONE, null, "Jane", "Doe").contactId();
        contacts.rememberRecordId(contactId, "hs", "501");
        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|create_task", "done")
                .containsEntry("hot|send_notification", "done");

        stub.verify(1, postRequestedFor(urlEqualTo("/slack/hook")));
        stub.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/tasks")));
    }

    @Test
    void aSlackClientErrorIsRecordedAsFailedAndNotRetried() throws Exception {
        stub.stubFor(post(urlEqualTo("/slack/hook")).willReturn(aResponse().withStatus(404).withBody("no_team")));
        WorkflowActions actions = actions(tenant("""
                  - { name: hot, when: "true", actions: [send_notification, schedule_follow_up_call] }
                """), DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|send_notification", "failed")
                .containsEntry("hot|schedule_follow_up_call", "done");
        actions.run(lead("e1", 50));

        stub.verify(1, postRequestedFor(urlEqualTo("/slack/hook")));
        Map<String, Object> call = db.jdbc().queryForMap("SELECT * FROM scheduled_calls");
        assertThat(call).containsEntry("PHONE", PHONE).containsEntry("CONTACT_ID", "c-1");
        assertThat(((java.time.OffsetDateTime) call.get("DUE_AT")).toInstant())
                .isEqualTo(Instant.parse("2026-03-03T15:00:00Z"));
        assertThat(db.jdbc().queryForObject("SELECT detail FROM workflow_actions WHERE action = 'send_notification'",
                String.class)).contains("404").doesNotContain("slack/hook");
    }

    @Test
    void aDryRunCrmGetsNoRequestButAFileDescribingTheAction() throws Exception {
        WorkflowActions actions = actions("""
                tenant: wf
                timezone: America/New_York
                destinations:
                  - { id: hs, type: hubspot, base_url: "${STUB}", dry_run: true }
                workflow_triggers:
                  - { name: hot, when: "true", actions: [create_task, assign_owner], params: { owners: ["7"] } }
                """, DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|create_task", "done")
                .containsEntry("hot|assign_owner", "done");

        Path files = dir.resolve("data/dry-run/wf/hs");
        String task = Files.readString(files.resolve("e1-workflow-hot-create_task.json"));
        assertThat(json.readTree(task).at("/task/subject").asText()).isEqualTo("Follow up Jane Doe");
        assertThat(json.readTree(task).at("/task/priority").asText()).isEqualTo("HIGH");
        assertThat(json.readTree(Files.readString(files.resolve("e1-workflow-hot-assign_owner.json")))
                .at("/owner_id").asText()).isEqualTo("7");
        assertThat(stub.getAllServeEvents()).isEmpty();
    }

    @Test
    void paramsDestinationPicksTheCrmAndAnUnknownOneFailsTheAction() throws Exception {
        WorkflowActions actions = actions("""
                tenant: wf
                destinations:
                  - { id: hs, type: hubspot, base_url: "${STUB}", token: "${TOKEN}" }
                  - { id: hs-dry, type: hubspot, base_url: "${STUB}", dry_run: true }
                workflow_triggers:
                  - { name: a, when: "true", actions: [create_task], params: { destination: hs-dry } }
                  - { name: b, when: "true", actions: [create_task], params: { destination: nope } }
                """, DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("a|create_task", "done")
                .containsEntry("b|create_task", "failed");

        assertThat(dir.resolve("data/dry-run/wf/hs-dry/e1-workflow-a-create_task.json")).exists();
        assertThat(log.status("wf", "e1", "b", "create_task")).contains("failed");
        assertThat(db.jdbc().queryForObject("SELECT detail FROM workflow_actions WHERE trigger_name = 'b'",
                String.class)).contains("params.destination 'nope'");
    }

    @Test
    void tasksForOtherCrmsAreSkippedWithTheReason() throws Exception {
        WorkflowActions actions = actions("""
                tenant: wf
                destinations:
                  - { id: lp, type: leadpro, base_url: "${STUB}", token: "${TOKEN}" }
                workflow_triggers:
                  - { name: hot, when: "true", actions: [create_task, assign_owner], params: { owners: ["1"] } }
                """, DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|create_task", "skipped");
        assertThat(db.jdbc().queryForList("SELECT detail FROM workflow_actions", String.class))
                .containsOnly("not supported for destination types [leadpro]");
        assertThat(stub.getAllServeEvents()).isEmpty();
    }

    @Test
    void createTaskAndAssignOwnerWriteAPipedriveActivityAndOwnerForTheIndexedPerson() throws Exception {
        stub.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\":true,\"data\":{\"id\":901}}")));
        stub.stubFor(put(urlPathEqualTo("/v1/persons/17")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\":true,\"data\":{\"id\":17}}")));
        WorkflowActions actions = actions("""
                tenant: wf
                timezone: America/New_York
                destinations:
                  - { id: pd, type: pipedrive, api_token: "${TOKEN}", base_url: "${STUB}", task_activity_type: call }
                workflow_triggers:
                  - name: hot
                    when: "true"
                    actions: [create_task, assign_owner]
                    params: { due_in_days: 2, subject: "Call {lead.full_name}", message: "Urgency {ai.urgency}", owners: ["11"] }
                """, DAY);
        String contactId = contacts.upsert("wf", PHONE, null, "Jane", "Doe").contactId();
        contacts.rememberRecordId(contactId, "pd", "17");

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|create_task", "done")
                .containsEntry("hot|assign_owner", "done");

        stub.verify(1, postRequestedFor(urlPathEqualTo("/v1/activities"))
                .withQueryParam("api_token", equalTo("pat-SECRET"))
                .withRequestBody(equalToJson("""
                        {"subject":"Call Jane Doe","type":"call","due_date":"2026-03-04","note":"Urgency high",
                         "person_id":17}""")));
        stub.verify(1, putRequestedFor(urlPathEqualTo("/v1/persons/17"))
                .withQueryParam("api_token", equalTo("pat-SECRET"))
                .withRequestBody(equalToJson("{\"owner_id\":11}")));
        assertThat(db.jdbc().queryForObject("SELECT detail FROM workflow_actions WHERE action = 'create_task'",
                String.class)).isEqualTo("Pipedrive activity 901 (call) on person 17 due 2026-03-04");
    }

    @Test
    void aLiteralSlackWebhookUrlIsRejectedAsASecret() throws Exception {
        Files.writeString(dir.resolve("wf.yaml"), """
                tenant: wf
                destinations: []
                workflow:
                  notification: { slack_webhook_url: "https://hooks.slack.com/services/T0/B0/XXXX" }
                """);
        TenantRegistry tenants = new TenantRegistry(dir, new TenantFileLoader(n -> null, "US", Clock.systemUTC(),
                null));

        assertThat(tenants.errors().values()).singleElement().extracting(Throwable::getMessage).asString()
                .contains("workflow.notification.slack_webhook_url").contains("placeholder")
                .doesNotContain("XXXX");
    }

    @Test
    void paramsAndWorkflowSettingsAreLoaded() throws Exception {
        actions(tenant("""
                  - { name: hot, when: "true", actions: [assign_owner], params: { owners: ["1", 2], due_in_days: 3 } }
                """), DAY);
        TenantRegistry tenants = new TenantRegistry(dir, new TenantFileLoader(n -> Map.of("STUB", "http://x",
                "SLACK", "https://hooks.example/x", "TOKEN", "t", "TWILIO_TOKEN", "t").get(n), "US",
                Clock.systemUTC(), null));
        io.leadhub.tenant.TenantConfig config = tenants.find("wf").orElseThrow();

        assertThat(config.workflowTriggers().get(0).params()).containsEntry("owners", List.of("1", 2L))
                .containsEntry("due_in_days", 3L);
        assertThat(config.workflow().get("notification").toString()).doesNotContain("hooks.example");
    }

    @Test
    void aMatchingOwnerRuleWinsOverRoundRobin() throws Exception {
        WorkflowActions actions = actions(tenant("""
                  - name: route
                    when: "true"
                    actions: [assign_owner]
                    params:
                      rules: [{ if: "ai.urgency == 'low'", owner: "55" }, { if: "ai.urgency == 'high'", owner: "77" }]
                      owners: ["11"]
                """), DAY);
        String contactId = contacts.upsert("wf", PHONE, null, "Jane", "Doe").contactId();
        contacts.rememberRecordId(contactId, "hs", "501");

        assertThat(actions.run(lead("e1", 50))).containsEntry("route|assign_owner", "done");

        stub.verify(1, patchRequestedFor(urlEqualTo("/crm/v3/objects/contacts/501"))
                .withRequestBody(equalToJson("{\"properties\":{\"hubspot_owner_id\":\"77\"}}")));
    }

    @Test
    void anOwnerRuleThatIsNotBoolIsAConfigError() throws Exception {
        Files.writeString(dir.resolve("wf.yaml"), """
                tenant: wf
                destinations: []
                workflow_triggers:
                  - { name: r, when: "true", actions: [assign_owner], params: { rules: [{ if: "'high'", owner: "1" }] } }
                """);
        TenantRegistry tenants = new TenantRegistry(dir, new TenantFileLoader(n -> null, "US", Clock.systemUTC(),
                null));

        assertThat(tenants.errors().values()).singleElement().extracting(Throwable::getMessage).asString()
                .contains("workflow_triggers[0].params.rules[0].if");
    }

    @Test
    void theTenantFileDocsExampleLoads() throws Exception {
        String md = Files.readString(Path.of("docs", "tenant-file.md"));
        int start = md.indexOf("```yaml\nworkflow:\n") + "```yaml\n".length();
        String example = md.substring(start, md.indexOf("```", start));
        Files.writeString(dir.resolve("acme.yaml"), "tenant: acme\ndestinations: []\n" + example);
        TenantRegistry tenants = new TenantRegistry(dir, new TenantFileLoader(
                n -> switch (n) {
                    case "ACME_SLACK_WEBHOOK_URL" -> "https://hooks.example/x";
                    case "ACME_SMTP_PASSWORD" -> "smtp-secret";
                    default -> null;
                }, "US", Clock.systemUTC(), null));

        assertThat(tenants.errors()).isEmpty();
        assertThat(tenants.find("acme").orElseThrow().workflowTriggers()).hasSize(3)
                .first().satisfies(t -> assertThat(t.ownerRules()).hasSize(1));
    }

    @Test
    void anEmailNotificationGoesThroughTheTenantsSmtpServerOnce() throws Exception {
        WorkflowActions actions = actions("""
                tenant: wf
                destinations: []
                workflow:
                  notification:
                    slack_webhook_url: "${SLACK}"
                    email:
                      host: 127.0.0.1
                      port: ${SMTP_PORT}
                      security: none
                      from: "LeadHub <leads@acme.example>"
                      to: [sales@acme.example]
                workflow_triggers:
                  - name: hot
                    when: "true"
                    actions: [send_notification]
                    params: { channel: email, subject: "Hot lead {lead.full_name}", message: "Score {ai.lead_score}" }
                """, DAY);

        assertThat(actions.run(lead("e1", 91))).containsEntry("hot|send_notification", "done");
        assertThat(actions.run(lead("e1", 91))).containsEntry("hot|send_notification", "done");

        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(SMTP.getReceivedMessages()[0].getSubject()).isEqualTo("Hot lead Jane Doe");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(SMTP.getReceivedMessages()[0]))
                .contains("Score 91");
        stub.verify(0, postRequestedFor(urlEqualTo("/slack/hook")));
    }

    @Test
    void aDeferredSmsIsSentOnceWhenTheQuietHoursEnd() throws Exception {
        String yaml = tenant("""
                  - { name: sms, when: "true", actions: [send_sms], params: { message: "Hi {lead.first_name}" } }
                """);
        String messages = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
        assertThat(actions(yaml, NIGHT).run(lead("e1", 50))).containsEntry("sms|send_sms", "deferred");
        assertThat(actions(yaml, NIGHT.plusSeconds(3600)).runDeferred()).isZero();

        WorkflowActions morning = actions(yaml, Instant.parse("2026-03-03T13:00:01Z"));
        assertThat(meters.get("leadhub.workflow.deferred").gauge().value()).isEqualTo(1.0);
        assertThat(morning.runDeferred()).isEqualTo(1);
        assertThat(morning.runDeferred()).isZero();
        assertThat(meters.get("leadhub.workflow.deferred").gauge().value()).isZero();
        assertThat(meters.get("leadhub.workflow.actions").tags("tenant", "wf", "action", "send_sms", "status", "done")
                .counter().count()).isEqualTo(1.0);
        assertThat(morning.run(lead("e1", 50))).containsEntry("sms|send_sms", "done");

        stub.verify(1, postRequestedFor(urlEqualTo(messages))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Body=Hi+Jane"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("To=%2B14045558514")));
        assertThat(db.jdbc().queryForObject("SELECT detail FROM workflow_actions", String.class))
                .startsWith("SMS SM1 to ").doesNotContain("4045558514");
    }

    @Test
    void aDeferredSmsThatTwilioCannotTakeNowIsDeferredAgainAndOneItRefusesFails() throws Exception {
        String yaml = tenant("""
                  - { name: sms, when: "true", actions: [send_sms] }
                """);
        String messages = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
        actions(yaml, NIGHT).run(lead("e1", 50));
        stub.stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":20500,\"message\":\"down\",\"status\":503}")));

        Instant morning = Instant.parse("2026-03-03T13:00:01Z");
        assertThat(actions(yaml, morning).runDeferred()).isEqualTo(1);
        Map<String, Object> row = db.jdbc().queryForMap("SELECT status, due_at FROM workflow_actions");
        assertThat(row).as(db.jdbc().queryForObject("SELECT detail FROM workflow_actions", String.class)).containsEntry("STATUS", "deferred");
        assertThat(((java.time.OffsetDateTime) row.get("DUE_AT")).toInstant())
                .isEqualTo(morning.plusSeconds(300));

        stub.stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\",\"status\":400}")));
        assertThat(actions(yaml, morning.plusSeconds(301)).runDeferred()).isEqualTo(1);
        assertThat(db.jdbc().queryForObject("SELECT status FROM workflow_actions", String.class)).isEqualTo("failed");
    }

    @Test
    void aNotificationWithoutAnyChannelIsSkippedWithTheReason() throws Exception {
        WorkflowActions actions = actions("""
                tenant: wf
                destinations: []
                workflow:
                  notification: { slack_webhook_url: "${UNSET_SLACK_URL:}" }
                workflow_triggers:
                  - { name: hot, when: "true", actions: [send_notification] }
                """, DAY);

        assertThat(actions.run(lead("e1", 50))).containsEntry("hot|send_notification", "skipped");
        assertThat(db.jdbc().queryForObject("SELECT detail FROM workflow_actions", String.class))
                .startsWith("no notification channel configured");
    }

    @Test
    void bothChannelsAreSentOnceEachEvenWhenOneHasToBeRetried() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String yaml = """
                tenant: wf
                destinations: []
                workflow:
                  notification:
                    slack_webhook_url: "${SLACK}"
                    email: { host: 127.0.0.1, port: PORT, security: none, timeout_ms: 2000,
                             from: "leads@acme.example", to: [sales@acme.example] }
                workflow_triggers:
                  - { name: hot, when: "true", actions: [send_notification], params: { channel: [slack, email] } }
                """;

        WorkflowActions smtpDown = actions(yaml.replace("PORT", String.valueOf(closed)), DAY);
        assertThatThrownBy(() -> smtpDown.run(lead("e1", 90))).isInstanceOf(TransientDeliveryException.class);
        WorkflowActions smtpUp = actions(yaml.replace("PORT", String.valueOf(SMTP.getSmtp().getPort())), DAY);
        assertThat(smtpUp.run(lead("e1", 90))).containsEntry("hot|send_notification.slack", "done")
                .containsEntry("hot|send_notification.email", "done");

        stub.verify(1, postRequestedFor(urlEqualTo("/slack/hook")));
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(meters.get("leadhub.workflow.actions").tags("tenant", "wf", "action", "send_notification",
                "status", "done").counter().count()).isEqualTo(2.0);
    }
}
