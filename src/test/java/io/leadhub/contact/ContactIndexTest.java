package io.leadhub.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContactIndexTest {

    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "jane.doe@example.com";

    private final TestDatabase db = TestDatabase.create();
    private final ContactIndex contacts = new ContactIndex(db.jdbc(), Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Map<String, Object> row(String contactId) {
        return db.jdbc().queryForMap("SELECT * FROM contacts WHERE id = ?", contactId);
    }

    private int count(String table) {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    @Test
    void aNewPersonIsANewContact() {
        ContactIndex.Match match = contacts.upsert("acme", PHONE, EMAIL, "Jane", "Doe");

        assertThat(match.returning()).isFalse();
        assertThat(match.interactions()).isEqualTo(1);
        assertThat(match.contactId()).matches("[0-9a-f-]{36}");
        Map<String, Object> row = row(match.contactId());
        assertThat(row).containsEntry("TENANT", "acme").containsEntry("PHONE_E164", PHONE).containsEntry("EMAIL", EMAIL)
                .containsEntry("FIRST_NAME", "Jane").containsEntry("LAST_NAME", "Doe").containsEntry("INTERACTIONS", 1);
        assertThat(((OffsetDateTime) row.get("CREATED_AT")).toInstant()).isEqualTo(NOW);
        assertThat(((OffsetDateTime) row.get("UPDATED_AT")).toInstant()).isEqualTo(NOW);
    }

    @Test
    void theSamePhoneIsAReturningContact() {
        ContactIndex.Match first = contacts.upsert("acme", PHONE, null, "Jane", "Doe");

        ContactIndex.Match second = contacts.upsert("acme", PHONE, null, null, null);
        ContactIndex.Match third = contacts.upsert("acme", PHONE, "other@example.com", null, null);

        assertThat(second.contactId()).isEqualTo(first.contactId());
        assertThat(second.returning()).isTrue();
        assertThat(second.interactions()).isEqualTo(2);
        assertThat(third.contactId()).isEqualTo(first.contactId());
        assertThat(third.interactions()).isEqualTo(3);
        assertThat(count("contacts")).isEqualTo(1);
    }

    @Test
    void theSameEmailIsAReturningContact() {
        ContactIndex.Match first = contacts.upsert("acme", null, EMAIL, null, null);

        ContactIndex.Match second = contacts.upsert("acme", "+14045550000", EMAIL, null, null);

        assertThat(second.contactId()).isEqualTo(first.contactId());
        assertThat(second.returning()).isTrue();
        assertThat(second.interactions()).isEqualTo(2);
    }

    @Test
    void thePhoneMatchWinsOverTheEmailMatch() {
        String byPhone = contacts.upsert("acme", PHONE, null, null, null).contactId();
        String byEmail = contacts.upsert("acme", null, EMAIL, null, null).contactId();

        ContactIndex.Match match = contacts.upsert("acme", PHONE, EMAIL, null, null);

        assertThat(byPhone).isNotEqualTo(byEmail);
        assertThat(match.contactId()).isEqualTo(byPhone);
        assertThat(row(byEmail)).containsEntry("INTERACTIONS", 1);
    }

    @Test
    void contactsAreSeparatePerTenant() {
        ContactIndex.Match acme = contacts.upsert("acme", PHONE, EMAIL, null, null);

        ContactIndex.Match globex = contacts.upsert("globex", PHONE, EMAIL, null, null);

        assertThat(globex.returning()).isFalse();
        assertThat(globex.contactId()).isNotEqualTo(acme.contactId());
        assertThat(row(acme.contactId())).containsEntry("INTERACTIONS", 1);
    }

    @Test
    void aLeadWithoutPhoneOrEmailCannotBeMatched() {
        ContactIndex.Match first = contacts.upsert("acme", null, null, "Jane", "Doe");
        ContactIndex.Match second = contacts.upsert("acme", null, null, "Jane", "Doe");

        assertThat(second.returning()).isFalse();
        assertThat(second.contactId()).isNotEqualTo(first.contactId());
    }

    @Test
    void aReturningContactGetsItsMissingPhoneAndEmailFilledIn() {
        String byPhone = contacts.upsert("acme", PHONE, null, null, null).contactId();
        String byEmail = contacts.upsert("acme", null, "bob@example.com", null, null).contactId();

        contacts.upsert("acme", PHONE, EMAIL, null, null);
        contacts.upsert("acme", "+14045550000", "bob@example.com", null, null);

        assertThat(row(byPhone)).containsEntry("PHONE_E164", PHONE).containsEntry("EMAIL", EMAIL);
        assertThat(row(byEmail)).containsEntry("PHONE_E164", "+14045550000").containsEntry("EMAIL", "bob@example.com");
    }

    @Test
    void aKnownPhoneOrEmailIsNotOverwritten() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();

        contacts.upsert("acme", "+14045550000", EMAIL, null, null);
        contacts.upsert("acme", PHONE, "new@example.com", null, null);

        assertThat(row(id)).containsEntry("PHONE_E164", PHONE).containsEntry("EMAIL", EMAIL);
    }

    @Test
    void aNameIsFilledInAndKeptWhenALaterEventHasNone() {
        String id = contacts.upsert("acme", PHONE, null, null, null).contactId();

        contacts.upsert("acme", PHONE, null, "Jane", "Doe");
        contacts.upsert("acme", PHONE, null, null, null);

        assertThat(row(id)).containsEntry("FIRST_NAME", "Jane").containsEntry("LAST_NAME", "Doe");
    }

    @Test
    void aLaterNameReplacesTheEarlierOne() {
        String id = contacts.upsert("acme", PHONE, null, "J", "Doe").contactId();

        contacts.upsert("acme", PHONE, null, "Jane", null);

        assertThat(row(id)).containsEntry("FIRST_NAME", "Jane").containsEntry("LAST_NAME", "Doe");
    }

    @Test
    void noRecordIdIsKnownBeforeADelivery() {
        contacts.upsert("acme", PHONE, EMAIL, null, null);

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone", "email"), PHONE, EMAIL)).isEmpty();
    }

    @Test
    void theRememberedRecordIdIsKnownByPhoneAndByEmail() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();

        contacts.rememberRecordId(id, "hubspot-main", "501");

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone"), PHONE, null)).contains("501");
        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("email"), null, EMAIL)).contains("501");
        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone", "email"), "+14045550000", EMAIL))
                .contains("501");
    }

    @Test
    void theRecordIdIsPerDestinationAndTenant() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();
        contacts.upsert("globex", PHONE, EMAIL, null, null);

        contacts.rememberRecordId(id, "hubspot-main", "501");

        assertThat(contacts.knownRecordId("acme", "hubspot-other", List.of("phone", "email"), PHONE, EMAIL)).isEmpty();
        assertThat(contacts.knownRecordId("globex", "hubspot-main", List.of("phone", "email"), PHONE, EMAIL)).isEmpty();
    }

    @Test
    void knownRecordIdTriesTheMatchFieldsInTheirOrder() {
        String byPhone = contacts.upsert("acme", PHONE, null, null, null).contactId();
        String byEmail = contacts.upsert("acme", null, EMAIL, null, null).contactId();
        contacts.rememberRecordId(byPhone, "hubspot-main", "phone-record");
        contacts.rememberRecordId(byEmail, "hubspot-main", "email-record");

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone", "email"), PHONE, EMAIL))
                .contains("phone-record");
        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("email", "phone"), PHONE, EMAIL))
                .contains("email-record");
    }

    @Test
    void knownRecordIdUsesOnlyTheConfiguredMatchFields() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();
        contacts.rememberRecordId(id, "hubspot-main", "501");

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("email"), PHONE, null)).isEmpty();
        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone"), null, EMAIL)).isEmpty();
        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone", "email"), null, null)).isEmpty();
    }

    @Test
    void rememberRecordIdReplacesTheOlderId() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();

        contacts.rememberRecordId(id, "hubspot-main", "501");
        contacts.rememberRecordId(id, "hubspot-main", "777");

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone"), PHONE, null)).contains("777");
        assertThat(count("contact_crm_ids")).isEqualTo(1);
    }

    @Test
    void rememberRecordIdKeepsOneIdPerDestination() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();

        contacts.rememberRecordId(id, "hubspot-main", "501");
        contacts.rememberRecordId(id, "hubspot-backup", "9");

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone"), PHONE, null)).contains("501");
        assertThat(contacts.knownRecordId("acme", "hubspot-backup", List.of("phone"), PHONE, null)).contains("9");
    }

    @Test
    void rememberRecordIdIgnoresAMissingContactOrRecordId() {
        String id = contacts.upsert("acme", PHONE, EMAIL, null, null).contactId();

        contacts.rememberRecordId(null, "hubspot-main", "501");
        contacts.rememberRecordId(id, "hubspot-main", null);

        assertThat(count("contact_crm_ids")).isZero();
    }

    @Test
    void rememberRecordIdOfAContactMissingFromTheIndexDoesNotFailTheDelivery() {
        // the CRM write already happened; failing here would retry the delivery and write to the CRM again
        contacts.rememberRecordId("3f2c0000-0000-0000-0000-00000000dead", "hubspot-main", "501");
        org.assertj.core.api.Assertions.assertThat(db.jdbc().queryForObject(
                "SELECT COUNT(*) FROM contact_crm_ids", Integer.class)).isZero();
    }
}
