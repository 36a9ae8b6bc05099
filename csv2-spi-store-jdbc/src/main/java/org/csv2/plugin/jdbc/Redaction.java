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
package org.csv2.plugin.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.csv2.spi.Secret;

/**
 * Keeps secrets out of log lines and exception messages: JDBC URLs lose their password parameters
 * and {@code user:password@} parts, and known secret values are replaced by {@code ****}.
 */
final class Redaction {
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)((?:password|pwd|passwd|sslpassword|encryption-key)\\s*=)[^;&]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

  private Redaction() {}

  /**
   * A JDBC URL without any password in it.
   *
   * @param url the URL
   * @return the URL with passwords as {@code ****}
   */
  static String url(String url) {
    String u = PASSWORD_PARAMETER.matcher(url).replaceAll("$1****");
    return USER_INFO.matcher(u).replaceAll("$1****@");
  }

  /**
   * A text with every given secret value replaced by {@code ****}.
   *
   * @param text the text, such as a driver's error message
   * @param secrets the values to hide; blank values are ignored
   * @return the redacted text
   */
  static String text(String text, List<String> secrets) {
    String t = text;
    for (String s : secrets) {
      if (!s.isBlank()) {
        t = t.replace(s, "****");
      }
    }
    return t;
  }

  /**
   * The secret values of a configuration: the password, the encryption key and any password
   * parameters of the URL.
   *
   * @param config the configuration
   * @return the values
   */
  static List<String> secrets(JdbcConfig config) {
    List<String> values = new ArrayList<>();
    Secret password = config.password();
    if (password != null) {
      values.add(password.reveal());
    }
    Secret key = config.encryptionKey();
    if (key != null) {
      values.add(key.reveal());
    }
    var m = Pattern.compile("(?i)(?:password|pwd|passwd|sslpassword)\\s*=([^;&]*)").matcher(config.jdbcUrl());
    while (m.find()) {
      values.add(m.group(1));
    }
    var ui = Pattern.compile("//[^/@:]*:([^/@]*)@").matcher(config.jdbcUrl());
    while (ui.find()) {
      values.add(ui.group(1));
    }
    return List.copyOf(values);
  }
}
