package io.leadhub.contact;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The contact index: one row per person per tenant (table {@code contacts}), matched on E.164 phone and
 * lower-case e-mail, plus the record id each CRM destination gave the person (table {@code contact_crm_ids}).
 * Enrichment uses it to recognise a returning caller; dispatch uses it to update a CRM record without searching
 * the CRM again.
 */
@Component("contactIndex")
public class ContactIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ContactIndex.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    /**
     * @param jdbc  the hub's database
     * @param clock optional clock for timestamps
     */
    public ContactIndex(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Result of {@link #upsert}.
     *
     * @param contactId    the contact's id (UUID string)
     * @param returning    true when the person was already in the index
     * @param interactions events seen for this contact, including this one
     */
    public record Match(String contactId, boolean returning, int interactions) {
    }

    /**
     * Finds the tenant's contact with this phone, else this e-mail, and records one more interaction (filling in
     * a missing phone, e-mail or name), or creates the contact.
     *
     * @param tenant    tenant id
     * @param phone     E.164 phone, or null
     * @param email     lower-case e-mail, or null
     * @param firstName first name, or null
     * @param lastName  last name, or null
     * @return the contact and whether it was known
     */
    @Transactional
    public Match upsert(String tenant, String phone, String email, String firstName, String lastName) {
        Timestamp now = Timestamp.from(clock.instant());
        Optional<String> existing = match(tenant, phone, email);
        if (existing.isPresent()) {
            String id = existing.get();
            jdbc.update("""
                    UPDATE contacts SET interactions = interactions + 1, updated_at = ?,
                      phone_e164 = COALESCE(phone_e164, ?), email = COALESCE(email, ?),
                      first_name = COALESCE(?, first_name), last_name = COALESCE(?, last_name)
                    WHERE id = ?""", now, phone, email, firstName, lastName, id);
            Integer n = jdbc.queryForObject("SELECT interactions FROM contacts WHERE id = ?", Integer.class, id);
            return new Match(id, true, n == null ? 1 : n);
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO contacts (id, tenant, phone_e164, email, first_name, last_name, interactions, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)""", id, tenant, phone, email, firstName, lastName, now, now);
        return new Match(id, false, 1);
    }

    /**
     * Read-only match, for previews: the tenant's contact with this phone, else this e-mail.
     *
     * @param tenant tenant id
     * @param phone  E.164 phone, or null
     * @param email  lower-case e-mail, or null
     * @return the contact id, if the person is in the index
     */
    public Optional<String> match(String tenant, String phone, String email) {
        return find(tenant, "phone_e164", phone).or(() -> find(tenant, "email", email));
    }

    /**
     * The CRM record id a destination gave a contact matching the lead, trying the match fields in order.
     *
     * @param tenant      tenant id
     * @param destination destination id
     * @param matchFields {@code phone} and/or {@code email}, in order
     * @param phone       the lead's E.164 phone, or null
     * @param email       the lead's e-mail, or null
     * @return the CRM record id, if this destination has one for a matching contact
     */
    public Optional<String> knownRecordId(String tenant, String destination, List<String> matchFields,
                                          String phone, String email) {
        for (String field : matchFields) {
            String value = "phone".equals(field) ? phone : "email".equals(field) ? email : null;
            String column = "phone".equals(field) ? "phone_e164" : "email";
            if (value == null) {
                continue;
            }
            List<String> ids = jdbc.queryForList("""
                    SELECT x.crm_record_id FROM contact_crm_ids x JOIN contacts c ON c.id = x.contact_id
                    WHERE c.tenant = ? AND x.destination_id = ? AND c.""" + column + " = ? ORDER BY x.updated_at DESC",
                    String.class, tenant, destination, value);
            if (!ids.isEmpty()) {
                return Optional.of(ids.get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * Stores the record id a destination returned for a contact (replacing an older one).
     *
     * @param contactId   contact id from enrichment
     * @param destination destination id
     * @param crmRecordId the CRM's record id
     */
    public void rememberRecordId(String contactId, String destination, String crmRecordId) {
        if (contactId == null || crmRecordId == null) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE contact_crm_ids SET crm_record_id = ?, updated_at = ? WHERE contact_id = ? AND destination_id = ?",
                crmRecordId, now, contactId, destination);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO contact_crm_ids (contact_id, destination_id, crm_record_id, updated_at) VALUES (?, ?, ?, ?)",
                        contactId, destination, crmRecordId, now);
            } catch (DataIntegrityViolationException e) {
                // the contact row is gone (e.g. a restored database): the CRM write already happened, so failing
                // here would only make the delivery retry and write again; the next event finds the record by search
                LOG.warn("Contact {} is not in the contact index; CRM record id of destination {} not remembered",
                        contactId, destination);
            }
        }
    }

    private Optional<String> find(String tenant, String column, String value) {
        if (value == null) {
            return Optional.empty();
        }
        List<String> ids = jdbc.queryForList("SELECT id FROM contacts WHERE tenant = ? AND " + column
                + " = ? ORDER BY created_at", String.class, tenant, value);
        return ids.stream().findFirst();
    }
}
