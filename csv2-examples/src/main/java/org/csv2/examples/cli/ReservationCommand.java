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
package org.csv2.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code csv2 reservation search|create|list|show|extend|cancel|usage}: virtual clusters booked ahead
 * of time (issue 15, docs/reservations.md), over the server's {@code /api/v1/reservations}. Times
 * are ISO-8601 instants in UTC ({@code 2026-01-06T10:00:00Z}, or {@code 2026-01-06T10:00}), read by
 * the server's clock, which is the simulated one behind {@code csv2 serve --quickstart}.
 */
@Command(
    name = "reservation",
    description = "Virtual clusters booked ahead of time: search for capacity, book, list, extend, cancel, usage.",
    subcommands = {
      ReservationCommand.Search.class,
      ReservationCommand.Create.class,
      ReservationCommand.ListReservations.class,
      ReservationCommand.Show.class,
      ReservationCommand.Extend.class,
      ReservationCommand.Cancel.class,
      ReservationCommand.Usage.class
    },
    footer = {
      "",
      "Examples:",
      "  csv2 reservation search -g atlas --cores 4 --ram 8000 --count 2 --start 2026-01-06T10:00Z --duration 2h",
      "  csv2 reservation create -g atlas --cores 4 --ram 8000 --count 2 --start 2026-01-06T10:00Z --duration 2h --ssh-key-file ~/.ssh/id_ed25519.pub",
      "  csv2 reservation list -g atlas"
    })
public final class ReservationCommand extends ObjectCommand {
  static final Column[] COLUMNS = {
    Column.num("ID", "id"),
    Column.of("OWNER", "owner"),
    Column.of("GROUP", "group"),
    Column.computed("CLOUD", r -> r.path("cloud").isNull() ? "-" : r.path("cloud").asText() + (r.path("anyCloud").asBoolean() ? " (any)" : "")),
    Column.computed("VMS", ReservationCommand::shape),
    Column.of("START", "start"),
    Column.of("END", "end"),
    Column.of("STATE", "state"),
    Column.of("REASON", "reason")
  };

  static final Column[] DETAIL = {
    Column.num("ID", "id"),
    Column.of("OWNER", "owner"),
    Column.of("GROUP", "group"),
    Column.computed("CLOUD", r -> r.path("cloud").isNull() ? "-" : r.path("cloud").asText() + (r.path("anyCloud").asBoolean() ? " (any)" : "")),
    Column.computed("VMS", ReservationCommand::shape),
    Column.computed("FLAVOR", r -> orDash(r.path("flavor"))),
    Column.computed("IMAGE", r -> orDash(r.path("image"))),
    Column.computed("USER DATA", r -> orDash(r.path("userData"))),
    Column.computed("SSH KEY", r -> r.path("sshKey").isTextual() ? keyComment(r.path("sshKey").asText()) : "-"),
    Column.of("START", "start"),
    Column.of("END", "end"),
    Column.of("STATE", "state"),
    Column.of("SINCE", "stateSince"),
    Column.computed("BOOTED", r -> Integer.toString(r.path("vms").size())),
    Column.of("REASON", "reason")
  };

  /** {@code 2 x 4 cores 8000 MiB}. */
  static String shape(JsonNode r) {
    return r.path("count").asInt() + " x " + r.path("cores").asInt() + " cores " + r.path("ramMiB").asLong() + " MiB";
  }

  private static String orDash(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : "-";
  }

  /** An SSH key as a person recognises it: its type and comment, never the whole key. */
  static String keyComment(String key) {
    String[] parts = key.trim().split("\\s+", 3);
    return parts.length >= 3 ? parts[0] + " " + parts[2] : parts[0] + " (no comment)";
  }

  /**
   * Parses an instant: ISO-8601 with a zone ({@code 2026-01-06T10:00:00Z}) or without one, read as UTC.
   *
   * @param text the text
   * @param option the option, for the message
   * @return the instant
   */
  static Instant instant(String text, String option) {
    String t = text.trim();
    try {
      return java.time.OffsetDateTime.parse(t).toInstant(); // 2026-01-06T10:00Z, 2026-01-06T11:00+01:00
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC); // 2026-01-06T10:00, read as UTC
      } catch (DateTimeParseException e2) {
        throw CliException.usage(option + ": '" + Csv2Client.bounded(text) + "' is not a time: give an ISO-8601 instant in UTC such as 2026-01-06T10:00Z");
      }
    }
  }

  /** The window: {@code --start} and either {@code --end} or {@code --duration}. */
  static final class Window {
    @Option(names = "--start", required = true, paramLabel = "TIME", description = "The window's start (UTC, on a whole minute), e.g. 2026-01-06T10:00Z.")
    String start;

    @ArgGroup(exclusive = true, multiplicity = "1")
    End end;

    static final class End {
      @Option(names = "--end", paramLabel = "TIME", description = "The window's end (exclusive).")
      @Nullable String end;

      @Option(names = "--duration", paramLabel = "D", description = "The window's length instead of --end: 30m, 2h, 1d or PT2H.")
      @Nullable String duration;
    }

    Instant startInstant() {
      return instant(start, "--start");
    }

    Instant endInstant() {
      if (end.end != null) {
        return instant(end.end, "--end");
      }
      return startInstant().plus(Duration.parse(Durations.iso(end.duration, "--duration")));
    }

    void into(ObjectNode body) {
      Instant s = startInstant();
      Instant e = endInstant();
      if (!e.isAfter(s)) {
        throw CliException.usage("--end " + e + " is not after --start " + s);
      }
      body.put("start", s.toString());
      body.put("end", e.toString());
    }
  }

  static String base(String group) {
    return "/groups/" + Csv2Client.seg(group) + "/reservations";
  }

  /** {@code csv2 reservation search}. */
  @Command(
      name = "search",
      description = "Where and when can the group get COUNT VMs of CORES cores and RAM MiB: every cloud of the group, whether the window fits, and the free windows near it.",
      footer = {"", "Example:", "  csv2 reservation search -g atlas --cores 4 --ram 8000 --count 2 --start 2026-01-06T10:00Z --duration 2h"})
  static final class Search extends ClientCommand {
    @Option(names = "--cores", required = true, paramLabel = "N", description = "Cores per VM.")
    int cores;

    @Option(names = "--ram", required = true, paramLabel = "MIB", description = "RAM per VM in MiB.")
    long ram;

    @Option(names = "--count", required = true, paramLabel = "N", description = "The number of VMs (0: a frontend-only cluster).")
    int count;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Window window;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("reservation search");
      ObjectNode body = Csv2Client.JSON.createObjectNode();
      body.put("cores", cores);
      body.put("ramMiB", ram);
      body.put("count", count);
      window.into(body);
      JsonNode clouds = client.post(base(g) + "/search", body, null, "reservation search in group " + g).json();
      out.rows(
          clouds,
          Column.of("CLOUD", "cloud"),
          Column.computed("FITS", c -> c.path("fits").asBoolean() ? "yes" : "no"),
          Column.computed("CAPACITY", c -> limit(c.path("capacity").path("cores"), " cores") + ", " + limit(c.path("capacity").path("ramMiB"), " MiB")),
          Column.computed("FREE WINDOWS", ReservationCommand::windows),
          Column.of("NOTE", "note"));
      return 0;
    }
  }

  private static String limit(JsonNode n, String unit) {
    return n.asLong() < 0 ? "unlimited" + unit : n.asLong() + unit;
  }

  private static String windows(JsonNode c) {
    StringBuilder b = new StringBuilder();
    for (JsonNode w : c.path("free")) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(w.path("start").asText()).append("..").append(w.path("end").asText());
    }
    return b.length() == 0 ? "-" : b.toString();
  }

  /** {@code csv2 reservation create}. */
  @Command(
      name = "create",
      aliases = "add",
      description = "Book a cluster: COUNT VMs (of a flavor, or of CORES cores and RAM MiB) on a cloud of the group (default: any that fits) for the window. Confirmed at once, or refused naming the conflict.",
      footer = {
        "",
        "Examples:",
        "  csv2 reservation create -g atlas --cores 4 --ram 8000 --count 2 --start 2026-01-06T10:00Z --duration 2h",
        "  csv2 reservation create -g atlas -cn arbutus --flavor c4-16gb --count 0 --start 2026-01-06T10:00Z --end 2026-01-06T18:00Z"
      })
  static final class Create extends ClientCommand {
    @Option(names = {"-cn", "--cloud"}, paramLabel = "CLOUD", description = "The cloud (default: any cloud of the group that fits).")
    @Nullable String cloud;

    @Option(names = "--flavor", paramLabel = "FLAVOR", description = "The flavor (default: the smallest that fits --cores and --ram).")
    @Nullable String flavor;

    @Option(names = "--cores", paramLabel = "N", description = "Cores per VM (with --ram, unless --flavor).")
    @Nullable Integer cores;

    @Option(names = "--ram", paramLabel = "MIB", description = "RAM per VM in MiB.")
    @Nullable Long ram;

    @Option(names = "--count", required = true, paramLabel = "N", description = "The number of VMs (0: a frontend-only cluster).")
    int count;

    @Option(names = "--image", paramLabel = "IMAGE", description = "The image (default: the group's).")
    @Nullable String image;

    @Option(names = {"-mn", "--metadata-name"}, paramLabel = "NAME", description = "One of the group's user-data documents the VMs boot with (default: the group's usual ones).")
    @Nullable String userData;

    @Option(names = "--ssh-key-file", paramLabel = "FILE", description = "Your SSH public key (e.g. ~/.ssh/id_ed25519.pub), put into the VMs' cloud-init user data.")
    @Nullable Path sshKeyFile;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Window window;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("reservation create");
      if (flavor == null && (cores == null || ram == null)) {
        throw CliException.usage("give --flavor, or --cores and --ram, for the VMs' size");
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode();
      if (cloud != null) {
        body.put("cloud", cloud);
      }
      if (flavor != null) {
        body.put("flavor", flavor);
      }
      if (cores != null) {
        body.put("cores", cores);
      }
      if (ram != null) {
        body.put("ramMiB", ram);
      }
      body.put("count", count);
      if (image != null) {
        body.put("image", image);
      }
      if (userData != null) {
        body.put("userData", userData);
      }
      if (sshKeyFile != null) {
        body.put("sshKey", sshKey(sshKeyFile));
      }
      window.into(body);
      JsonNode r = client.post(base(g), body, null, "reservation in group " + g).json();
      out.done(r, "reservation " + r.path("id").asLong() + " " + r.path("state").asText().toLowerCase(java.util.Locale.ROOT) + ": " + shape(r)
          + " on " + r.path("cloud").asText() + " from " + r.path("start").asText() + " to " + r.path("end").asText());
      return 0;
    }
  }

  /**
   * Reads an SSH public key file: its first non-empty line, checked here so that a private key
   * (or a file of something else) is refused before it leaves this machine.
   *
   * @param file the file
   * @return the key, one line
   */
  static String sshKey(Path file) {
    String text = CloudCommand.read(file);
    if (text.contains("PRIVATE KEY")) {
      throw CliException.usage("--ssh-key-file " + file + ": this is a private key; give the public one (the .pub file)");
    }
    String line = text.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
    if (!line.matches("(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/=]+( .*)?")) {
      throw CliException.usage("--ssh-key-file " + file + ": not an OpenSSH public key (a line such as 'ssh-ed25519 AAAA... you@host')");
    }
    return line;
  }

  /** {@code csv2 reservation list}. */
  @Command(
      name = "list",
      description = "List reservations: the active group's (-g), else every group you belong to.",
      footer = {"", "Examples:", "  csv2 reservation list -g atlas", "  csv2 reservation list --owner alice --from 2026-01-06T00:00Z"})
  static final class ListReservations extends ClientCommand {
    @Option(names = "--owner", paramLabel = "USER", description = "Only this user's.")
    @Nullable String owner;

    @Option(names = "--from", paramLabel = "TIME", description = "Only those ending after TIME.")
    @Nullable String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only those starting before TIME.")
    @Nullable String to;

    @Override
    protected int run(Csv2Client client, Output out) {
      String q = Csv2Client.query(
          "group", group(), "owner", owner,
          "from", from == null ? null : instant(from, "--from").toString(),
          "to", to == null ? null : instant(to, "--to").toString());
      out.rows(client.get("/reservations" + q, "reservations").json(), COLUMNS);
      return 0;
    }
  }

  /** An action on one reservation by id. */
  abstract static class OneReservation extends ClientCommand {
    @Option(names = "--id", required = true, paramLabel = "ID", description = "The reservation (csv2 reservation list).")
    long id;

    String what() {
      return "reservation " + id;
    }
  }

  /** {@code csv2 reservation show}. */
  @Command(name = "show", description = "Show one reservation: its request, state, the VMs booted for it.", footer = {"", "Example:", "  csv2 reservation show --id 12"})
  static final class Show extends OneReservation {
    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(client.get("/reservations/" + id, what()).json(), DETAIL);
      return 0;
    }
  }

  /** {@code csv2 reservation extend}. */
  @Command(
      name = "extend",
      description = "Move a reservation's end later, if the capacity allows (checked and committed at once, like a booking). Its owner or an admin.",
      footer = {"", "Examples:", "  csv2 reservation extend --id 12 --end 2026-01-06T14:00Z", "  csv2 reservation extend --id 12 --by 1h"})
  static final class Extend extends OneReservation {
    @ArgGroup(exclusive = true, multiplicity = "1")
    NewEnd end;

    static final class NewEnd {
      @Option(names = "--end", paramLabel = "TIME", description = "The new end.")
      @Nullable String end;

      @Option(names = "--by", paramLabel = "D", description = "Extend by D (1h, 30m, PT2H) from the current end.")
      @Nullable String by;
    }

    @Override
    protected int run(Csv2Client client, Output out) {
      Instant newEnd;
      if (end.end != null) {
        newEnd = instant(end.end, "--end");
      } else {
        JsonNode current = client.get("/reservations/" + id, what()).json();
        newEnd = Instant.parse(current.path("end").asText()).plus(Duration.parse(Durations.iso(end.by, "--by")));
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode().put("end", newEnd.toString());
      JsonNode r = client.post("/reservations/" + id + "/extend", body, null, what()).json();
      out.done(r, what() + " extended to " + r.path("end").asText() + " (" + r.path("state").asText() + ")");
      return 0;
    }
  }

  /** {@code csv2 reservation cancel}. */
  @Command(
      name = "cancel",
      description = "Cancel a reservation: its capacity is freed and its VMs, if started, are retired. Its owner or an admin.",
      footer = {"", "Example:", "  csv2 reservation cancel --id 12"})
  static final class Cancel extends OneReservation {
    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode r = client.post("/reservations/" + id + "/cancel", null, null, what()).json();
      out.done(r, what() + " cancelled (" + r.path("state").asText() + ")");
      return 0;
    }
  }

  /** {@code csv2 reservation usage}. */
  @Command(
      name = "usage",
      description = "Core-hours reserved and used, reservations made, refused and failed, per user, group and cloud (admins; a member with -g for the group).",
      footer = {"", "Examples:", "  csv2 reservation usage -g atlas", "  csv2 reservation usage --from 2026-01-01T00:00Z --to 2026-02-01T00:00Z --csv"})
  static final class Usage extends ClientCommand {
    @Option(names = "--from", paramLabel = "TIME", description = "The period's start (default: 30 days before now, or before --to when given).")
    @Nullable String from;

    @Option(names = "--to", paramLabel = "TIME", description = "The period's end (default: 30 days after now, by the server's clock, so bookings ahead count).")
    @Nullable String to;

    @Override
    protected int run(Csv2Client client, Output out) {
      String q = Csv2Client.query(
          "group", group(),
          "from", from == null ? null : instant(from, "--from").toString(),
          "to", to == null ? null : instant(to, "--to").toString());
      JsonNode report = client.get("/reservations/usage" + q, "reservation usage").json();
      if (out.format() == Output.Format.JSON) {
        out.json(report);
        return 0;
      }
      out.rows(
          report.path("rows"),
          Column.of("BY", "by"),
          Column.of("NAME", "name"),
          Column.computed("CORE-H RESERVED", r -> String.format(java.util.Locale.ROOT, "%.1f", r.path("coreHoursReserved").asDouble())),
          Column.computed("CORE-H USED", r -> String.format(java.util.Locale.ROOT, "%.1f", r.path("coreHoursUsed").asDouble())),
          Column.num("MADE", "made"),
          Column.num("REFUSED", "refused"),
          Column.num("FAILED", "failed"));
      return 0;
    }
  }
}
