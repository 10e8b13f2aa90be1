package io.leadhub.workflow;

import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.tenant.Secret;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends the e-mail of a {@code send_notification} action through the SMTP server the tenant configures under
 * {@code workflow.notification.email} (Jakarta Mail through Spring's {@link JavaMailSenderImpl}; RFC 5321 reply
 * codes decide what is retried):
 * <pre>
 * email:
 *   host: smtp.example.com       # required
 *   port: 587                    # default 587 (starttls), 465 (ssl), 25 (none)
 *   security: starttls           # starttls (required STARTTLS) | ssl (implicit TLS) | none
 *   username: leads@example.com  # optional; with password
 *   password: ${ACME_SMTP_PASSWORD}
 *   from: "LeadHub &lt;leads@example.com&gt;"
 *   to: [sales@example.com]      # default recipients; a trigger's params.to replaces them
 *   timeout_ms: 10000            # connect, read and write timeout; default 10000
 * </pre>
 * A sender is built per message (the settings may change on hot reload; building one is cheap and opens no
 * connection).
 */
@Component("workflowMail")
public class WorkflowMail {

    private static final int DEFAULT_TIMEOUT_MS = 10_000;

    /**
     * Sends one plain-text UTF-8 message.
     *
     * @param settings the tenant's {@code workflow.notification.email} map (secrets as {@link Secret})
     * @param to       recipients (RFC 5322 addresses); empty = the settings' {@code to}
     * @param subject  subject line
     * @param text     body
     * @return the number of recipients
     * @throws PermanentDeliveryException when a setting is missing or invalid, an address is invalid, the server
     *         refuses the login, or answers a 5xx reply (e.g. 550 mailbox unavailable)
     * @throws TransientDeliveryException when the server cannot be reached or answers a 4xx reply (e.g. 421, 451)
     */
    public int send(Map<String, Object> settings, List<String> to, String subject, String text) {
        Object host = settings.get("host");
        if (host == null || host.toString().isBlank()) {
            throw new PermanentDeliveryException("workflow.notification.email.host is not set", 0, null, null);
        }
        String security = settings.get("security") == null ? "starttls"
                : settings.get("security").toString().toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "ssl", "none").contains(security)) {
            throw new PermanentDeliveryException("workflow.notification.email.security must be starttls, ssl or none, "
                    + "not '" + security + "'", 0, null, null);
        }
        List<String> recipients = to.isEmpty() ? strings(settings.get("to")) : to;
        if (recipients.isEmpty()) {
            throw new PermanentDeliveryException("no recipients: set workflow.notification.email.to or the trigger's "
                    + "params.to", 0, null, null);
        }
        if (settings.get("from") == null) {
            throw new PermanentDeliveryException("workflow.notification.email.from is not set", 0, null, null);
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(host.toString());
        sender.setPort(settings.get("port") instanceof Number n ? n.intValue()
                : switch (security) {
                    case "ssl" -> 465;
                    case "none" -> 25;
                    default -> 587;
                });
        sender.setProtocol("ssl".equals(security) ? "smtps" : "smtp");
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Object user = settings.get("username");
        if (user != null) {
            sender.setUsername(user.toString());
            sender.setPassword(settings.get("password") instanceof Secret s ? s.reveal() : null);
        }
        String timeout = String.valueOf(settings.get("timeout_ms") instanceof Number n ? n.intValue()
                : DEFAULT_TIMEOUT_MS);
        Properties p = sender.getJavaMailProperties();
        String prefix = "mail." + sender.getProtocol() + ".";
        p.setProperty(prefix + "auth", String.valueOf(user != null));
        p.setProperty(prefix + "connectiontimeout", timeout);
        p.setProperty(prefix + "timeout", timeout);
        p.setProperty(prefix + "writetimeout", timeout);
        if ("starttls".equals(security)) {
            p.setProperty(prefix + "starttls.enable", "true");
            p.setProperty(prefix + "starttls.required", "true");
        }
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            helper.setFrom(InternetAddress.parse(settings.get("from").toString(), true)[0]);
            helper.setTo(addresses(recipients));
            helper.setSubject(subject);
            helper.setText(text);
            sender.send(message);
            return recipients.size();
        } catch (AddressException e) {
            throw new PermanentDeliveryException("invalid e-mail address: " + e.getMessage(), 0, null, e);
        } catch (MessagingException e) {
            throw new PermanentDeliveryException("cannot build the e-mail: " + e.getMessage(), 0, null, e);
        } catch (MailAuthenticationException e) {
            throw new PermanentDeliveryException("SMTP server " + host + " refused the login", 535, null, e);
        } catch (MailException e) {
            throw classify(e, host.toString());
        }
    }

    /** SMTP 4xx and no connection are transient; 5xx is permanent (RFC 5321 section 4.2.1). */
    static RuntimeException classify(MailException e, String host) {
        int code = replyCode(e);
        String detail = "SMTP server " + host + (code > 0 ? " answered " + code : " failed") + ": "
                + rootMessage(e);
        if (code >= 500) {
            return new PermanentDeliveryException(detail, code, null, e);
        }
        return new TransientDeliveryException(detail, code, null, null, e);
    }

    private static int replyCode(MailException e) {
        List<Throwable> causes = new ArrayList<>();
        if (e instanceof MailSendException send) {
            causes.addAll(send.getFailedMessages().values());
        }
        causes.add(e.getCause());
        for (Throwable c : causes) {
            for (Throwable t = c; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SMTPAddressFailedException a) {
                    return a.getReturnCode();
                }
                if (t instanceof SMTPSenderFailedException s) {
                    return s.getReturnCode();
                }
                if (t instanceof SMTPSendFailedException s) {
                    return s.getReturnCode();
                }
                if (t instanceof jakarta.mail.SendFailedException sf && sf.getNextException() != null
                        && sf.getNextException() != t) {
                    int nested = replyCode(new MailSendException("nested", sf.getNextException()));
                    if (nested > 0) {
                        return nested;
                    }
                }
            }
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        // a server's reply may quote the recipient's address
        m = io.leadhub.support.Masking.text(m);
        return m.length() > 300 ? m.substring(0, 300) : m;
    }

    private static InternetAddress[] addresses(List<String> recipients) throws AddressException {
        List<InternetAddress> out = new ArrayList<>();
        for (String r : recipients) {
            out.addAll(List.of(InternetAddress.parse(r, true)));
        }
        return out.toArray(InternetAddress[]::new);
    }

    /**
     * @param value a string or list of strings from the tenant file, or null
     * @return the strings; empty for null
     */
    static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }
}
