package io.leadhub.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.tenant.Secret;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.MailSendException;

class WorkflowMailTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("leads@acme.example", "leads", "s3cret"));

    private final WorkflowMail mail = new WorkflowMail();

    private Map<String, Object> settings() {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", SMTP.getSmtp().getPort());
        s.put("security", "none");
        s.put("username", "leads");
        s.put("password", Secret.of("s3cret"));
        s.put("from", "LeadHub <leads@acme.example>");
        s.put("to", List.of("sales@acme.example"));
        return s;
    }

    @Test
    void sendsAPlainTextUtf8MessageToTheConfiguredRecipients() throws Exception {
        assertThat(mail.send(settings(), List.of(), "Hot lead: José", "Call José back today")).isEqualTo(1);

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("Hot lead: José");
        assertThat(GreenMailUtil.getBody(received[0])).contains("Call Jos");
        assertThat(((InternetAddress) received[0].getFrom()[0]).getAddress()).isEqualTo("leads@acme.example");
        assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly("sales@acme.example");
    }

    @Test
    void theTriggersRecipientsReplaceTheDefaultOnes() throws Exception {
        assertThat(mail.send(settings(), List.of("a@acme.example", "b@acme.example"), "s", "t")).isEqualTo(2);

        assertThat(SMTP.getReceivedMessages()).hasSize(2);
        assertThat(SMTP.getReceivedMessagesForDomain("acme.example")).hasSize(2);
    }

    @Test
    void aRefusedLoginIsPermanentAndDoesNotShowThePassword() {
        Map<String, Object> s = settings();
        s.put("password", Secret.of("wrong-password"));

        assertThatThrownBy(() -> mail.send(s, List.of(), "s", "t")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("refused the login").hasMessageNotContaining("wrong-password");
    }

    @Test
    void anUnreachableServerIsTransient() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> s = settings();
        s.put("port", closed);
        s.put("timeout_ms", 2000);

        assertThatThrownBy(() -> mail.send(s, List.of(), "s", "t")).isInstanceOf(TransientDeliveryException.class)
                .hasMessageContaining("SMTP server 127.0.0.1 failed");
    }

    @Test
    void replyCodesDecide5xxPermanent4xxTransientAndAddressesAreMasked() throws Exception {
        InternetAddress jane = new InternetAddress("jane.doe@example.com");
        DeliveryException rejected = (DeliveryException) WorkflowMail.classify(new MailSendException("failed",
                new SMTPAddressFailedException(jane, "RCPT TO", 550, "550 5.1.1 <jane.doe@example.com> unknown")),
                "smtp.acme.example");
        DeliveryException greylisted = (DeliveryException) WorkflowMail.classify(new MailSendException("failed",
                new SMTPAddressFailedException(jane, "RCPT TO", 451, "451 4.7.1 greylisted")), "smtp.acme.example");

        assertThat(rejected).isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("answered 550")
                .hasMessageNotContaining("jane.doe@example.com");
        assertThat(greylisted).isInstanceOf(TransientDeliveryException.class).hasMessageContaining("answered 451");
    }

    @Test
    void missingSettingsAndBadAddressesArePermanentAndNameTheKey() {
        Map<String, Object> noHost = settings();
        noHost.remove("host");
        Map<String, Object> noTo = settings();
        noTo.remove("to");

        assertThatThrownBy(() -> mail.send(noHost, List.of(), "s", "t")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("workflow.notification.email.host");
        assertThatThrownBy(() -> mail.send(noTo, List.of(), "s", "t")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("params.to");
        assertThatThrownBy(() -> mail.send(settings(), List.of("not an address"), "s", "t"))
                .isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("invalid e-mail address");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }
}
