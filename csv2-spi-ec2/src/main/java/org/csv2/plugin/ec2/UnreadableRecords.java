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
package org.csv2.plugin.ec2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.utils.DateUtils;

/**
 * Reads the list replies the driver reads ({@code DescribeInstances}, {@code DescribeInstanceTypes},
 * {@code DescribeSpotPriceHistory}) one record at a time before the AWS SDK does: a record (an
 * instance, an instance type, a spot price) the SDK could not read (a character XML forbids, such
 * as U+0000 written {@code &#0;}, or a number or time element that is not one, anywhere in the
 * record: the numbers parsed as the SDK parses them, {@code Integer.parseInt} and so on; booleans
 * are never unreadable, the SDK reads any text as one) is taken out of the reply and named in the
 * context's rejections, so that one bad record leaves out that record only instead of making the whole cloud unreadable (issue 20). The
 * SDK's own model (the record class's {@link SdkField}s, with their element names and types) says
 * which elements are typed, so the check follows whatever the SDK version reads. A reply that is
 * not XML at all, or whose bad text is outside every record, is passed on unchanged (the SDK
 * refuses it whole, as before); a reply with nothing to take out is passed on byte for byte.
 *
 * <p>Thread safety: stateless apart from the context, safe.
 */
final class UnreadableRecords implements ExecutionInterceptor {
  /** Put in place of a character XML forbids, so the parser reads on and the check finds it. */
  private static final String MARK = "\uE000csv2-unreadable\uE000";
  private static final Pattern CHARACTER_REFERENCE = Pattern.compile("&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}));");
  private static final Pattern FORBIDDEN = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");

  /**
   * A list reply: its request type, the element holding the records, the records' SDK model and
   * how a record is named.
   */
  private record Operation(
      Class<?> request, String set, List<SdkField<?>> fields, String kind, List<String> keys) {}

  private static final List<Operation> OPERATIONS = List.of(
      new Operation(DescribeInstancesRequest.class, "instancesSet", Instance.builder().sdkFields(), "instance",
          List.of("instanceId")),
      new Operation(DescribeInstanceTypesRequest.class, "instanceTypeSet", InstanceTypeInfo.builder().sdkFields(),
          "instance type", List.of("instanceType")),
      new Operation(DescribeSpotPriceHistoryRequest.class, "spotPriceHistorySet", SpotPrice.builder().sdkFields(),
          "spot price", List.of("instanceType", "availabilityZone", "productDescription")));

  private final PluginContext context;

  UnreadableRecords(PluginContext context) {
    this.context = context;
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse response, ExecutionAttributes attributes) {
    Optional<InputStream> body = response.responseBody();
    Operation op = OPERATIONS.stream().filter(o -> o.request().isInstance(response.request())).findFirst().orElse(null);
    if (op == null || !response.httpResponse().isSuccessful() || body.isEmpty()) {
      return body;
    }
    try (InputStream in = body.get()) {
      return Optional.of(new ByteArrayInputStream(filter(op, in.readAllBytes())));
    } catch (IOException e) {
      throw new UncheckedIOException(op.kind() + " list reply not read", e);
    }
  }

  /**
   * A {@code DescribeInstances} reply without the instances the SDK could not read, each named in
   * the rejections.
   *
   * @param reply the reply's bytes (UTF-8)
   * @return the bytes to give the SDK
   */
  byte[] filter(byte[] reply) {
    return filter(OPERATIONS.get(0), reply);
  }

  private byte[] filter(Operation op, byte[] reply) {
    String marked = mark(new String(reply, StandardCharsets.UTF_8));
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(marked)));
    } catch (Exception e) {
      return reply;
    }
    boolean removed = false;
    NodeList sets = doc.getElementsByTagNameNS("*", op.set());
    for (int s = 0; s < sets.getLength(); s++) {
      for (Element item : children((Element) sets.item(s))) {
        String why = unreadable(item, op.fields());
        if (why != null) {
          item.getParentNode().removeChild(item);
          List<String> key = op.keys().stream().map(k -> childText(item, k)).toList();
          context.rejected(op.kind() + " " + head(String.join(" ", key)), "the AWS SDK cannot read it: " + why);
          removed = true;
        }
      }
    }
    if (!removed) {
      return reply;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length);
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.transform(new DOMSource(doc), new StreamResult(out));
      String text = out.toString(StandardCharsets.UTF_8);
      return text.contains(MARK) ? reply : out.toByteArray();
    } catch (Exception e) {
      return reply;
    }
  }

  /** The text with every character XML 1.0 forbids, literal or referenced, replaced by {@link #MARK}. */
  private static String mark(String text) {
    Matcher m = CHARACTER_REFERENCE.matcher(text);
    StringBuilder b = new StringBuilder(text.length());
    while (m.find()) {
      long cp;
      try {
        cp = m.group(1) != null ? Long.parseLong(m.group(1), 16) : Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        cp = -1;
      }
      boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
          || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      m.appendReplacement(b, Matcher.quoteReplacement(allowed ? m.group() : MARK));
    }
    m.appendTail(b);
    return FORBIDDEN.matcher(b).replaceAll(Matcher.quoteReplacement(MARK));
  }

  /** Why the SDK could not read this element as a structure of {@code fields}, or null. */
  private static @Nullable String unreadable(Element element, List<SdkField<?>> fields) {
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.TEXT_NODE && n.getNodeValue().contains(MARK)) {
        return name(element) + ": a character XML forbids";
      }
      if (!(n instanceof Element c)) {
        continue;
      }
      SdkField<?> field = null;
      for (SdkField<?> f : fields) {
        if (name(c).equals(f.unmarshallLocationName()) || name(c).equals(f.locationName())) {
          field = f;
          break;
        }
      }
      String why = field == null
          ? (c.getTextContent().contains(MARK) ? name(c) + ": a character XML forbids" : null)
          : value(c, field);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** Why the SDK could not read this element as the value of {@code field}, or null. */
  private static @Nullable String value(Element element, SdkField<?> field) {
    MarshallingType<?> type = field.marshallingType();
    String text = element.getTextContent();
    if (text.contains(MARK)) {
      return name(element) + ": a character XML forbids";
    }
    if (type == MarshallingType.SDK_POJO) {
      return unreadable(element, field.constructor().get().sdkFields());
    }
    if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
      for (Element item : children(element)) {
        String why = value(item, member);
        if (why != null) {
          return name(element) + "." + why;
        }
      }
      return null;
    }
    String v = text.trim();
    try {
      if (type == MarshallingType.INTEGER) {
        Integer.parseInt(v);
      } else if (type == MarshallingType.LONG) {
        Long.parseLong(v);
      } else if (type == MarshallingType.SHORT) {
        Short.parseShort(v);
      } else if (type == MarshallingType.BYTE) {
        Byte.parseByte(v);
      } else if (type == MarshallingType.FLOAT || type == MarshallingType.DOUBLE) {
        Double.parseDouble(v);
      } else if (type == MarshallingType.BIG_DECIMAL) {
        new BigDecimal(v);
      } else if (type == MarshallingType.INSTANT) {
        instant(v);
      } else {
        // strings, and booleans: the SDK reads any text as one (Boolean.parseBoolean)
        return null;
      }
    } catch (RuntimeException e) {
      return name(element) + ": '" + head(v) + "' is not " + type.getTargetClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** Parses a time as the SDK's reader of EC2's ISO 8601 times does. */
  private static void instant(String v) {
    DateUtils.parseIso8601Date(v);
  }

  private static List<Element> children(Element e) {
    List<Element> out = new java.util.ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        out.add(c);
      }
    }
    return out;
  }

  private static String childText(Element e, String name) {
    for (Element c : children(e)) {
      if (name(c).equals(name)) {
        return c.getTextContent().replace(MARK, "?");
      }
    }
    return "(no " + name + ")";
  }

  private static String name(Element e) {
    return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
  }

  private static String head(String text) {
    String t = text.replaceAll("\\p{Cntrl}", "?");
    return t.length() <= 60 ? t : t.substring(0, 60) + "...";
  }
}
