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

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.csv2.spi.NotificationSink;

/**
 * A {@link NotificationSink} that mails each reservation notification to its owner through an
 * SMTP relay (Eclipse Angus Mail): to {@code <user>@<domain>}, from the address given. Subjects
 * are one line (header injection is impossible: line breaks are removed) and bounded; a user name
 * that is not a valid mailbox part is refused. A failure throws, and the engine logs it and goes on.
 *
 * <p><b>Thread safety:</b> safe for concurrent use (one short SMTP session per message).
 */
public final class SmtpNotifications implements NotificationSink {
  private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final int MAX_SUBJECT = 200;

  private final Session session;
  private final InternetAddress from;
  private final String domain;

  /**
   * A sink through one relay.
   *
   * @param host the SMTP relay's host
   * @param port its port
   * @param from the sender's address
   * @param domain the mail domain of the users ({@code alice} gets {@code alice@domain})
   * @param timeoutMillis how long connecting and each reply may take
   */
  public SmtpNotifications(String host, int port, String from, String domain, int timeoutMillis) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(domain, "domain");
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.connectiontimeout", Integer.toString(timeoutMillis));
    p.put("mail.smtp.timeout", Integer.toString(timeoutMillis));
    p.put("mail.smtp.writetimeout", Integer.toString(timeoutMillis));
    this.session = Session.getInstance(p);
    try {
      this.from = new InternetAddress(from, true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("--smtp-from: not a mail address: " + e.getMessage(), e);
    }
    if (!Pattern.matches("[A-Za-z0-9.-]{1,253}", domain)) {
      throw new IllegalArgumentException("--mail-domain: not a domain name: " + domain);
    }
    this.domain = domain;
  }

  @Override
  public void send(Notification n) {
    if (!LOCAL.matcher(n.user()).matches()) {
      throw new IllegalArgumentException("user " + n.user() + " has no mailbox name csv2 can use");
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(n.user() + "@" + domain, true));
      String subject = "[csv2] " + n.subject().replaceAll("[\\r\\n]+", " ");
      m.setSubject(subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) + "..." : subject, "UTF-8");
      m.setText(n.body() + "\n\n(" + n.kind() + ", group " + n.group() + ", reservation " + n.reservation() + ")\n", "UTF-8");
      m.setSentDate(Date.from(n.at()));
      Transport.send(m);
    } catch (MessagingException e) {
      throw new IllegalStateException("mail to " + n.user() + "@" + domain + " failed: " + e.getMessage(), e);
    }
  }
}
