/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import org.csv2.model.GroupName;
import org.csv2.spi.NotificationSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SmtpNotifications} against a GreenMail SMTP server on loopback. */
class SmtpNotificationsTest {
  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  private SmtpNotifications sink() {
    return new SmtpNotifications("127.0.0.1", SMTP.getSmtp().getPort(), "csv2@example.org", "example.org", 5000);
  }

  @Test
  @Timeout(30)
  void theOwnerGetsTheWarningByMail() throws Exception {
    sink().send(new NotificationSink.Notification(NotificationSink.Kind.ENDING, "alice", GroupName.of("atlas"), 7,
        "reservation 7 ends at 2030-01-01T12:00:00Z\r\nBcc: mallory@example.org", "its body", Instant.parse("2030-01-01T11:00:00Z")));
    assertThat(SMTP.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage m = SMTP.getReceivedMessages()[0];
    assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("alice@example.org");
    assertThat(m.getFrom()[0].toString()).isEqualTo("csv2@example.org");
    assertThat(m.getSubject()).startsWith("[csv2] reservation 7 ends at").doesNotContain("\n");
    assertThat(m.getHeader("Bcc")).as("no header injected through the subject").isNull();
    assertThat(GreenMailUtil.getBody(m)).contains("its body").contains("ENDING").contains("reservation 7");
  }

  @Test
  @Timeout(30)
  void aUserNameThatIsNoMailboxIsRefused() {
    assertThatThrownBy(() -> sink().send(new NotificationSink.Notification(NotificationSink.Kind.ENDED,
        "bob@evil.example,carol", GroupName.of("atlas"), 8, "s", "b", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no mailbox name");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }
}
