package io.dormouse.gateway.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The peer exchange's wire format: a {@link PeerState} as JSON. Decoding checks every field, so a
 * malformed or hostile message is refused with a reason and never reaches the shares.
 */
public final class PeerCodec {

  /** The largest message accepted, in bytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  static final int MAX_MEMBERS = 256;
  static final int MAX_ENTRIES = 20_000;
  static final int MAX_NAME = 512;

  /** A message that cannot be taken: what is wrong with it. */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(40).build());
  }

  private PeerCodec() {}

  public static byte[] encode(PeerState state) {
    try {
      return JSON.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a peer state always encodes", e);
    }
  }

  public static PeerState decode(byte[] bytes) throws Malformed {
    if (bytes == null || bytes.length == 0) {
      throw new Malformed("empty message");
    }
    if (bytes.length > MAX_BYTES) {
      throw new Malformed("message larger than " + MAX_BYTES + " bytes");
    }
    PeerState s;
    try {
      s = JSON.readValue(bytes, PeerState.class);
    } catch (IOException | RuntimeException e) {
      throw new Malformed("not a peer state: " + firstLine(e.getMessage()));
    }
    if (s == null) {
      throw new Malformed("not a peer state: null");
    }
    check(s);
    return s;
  }

  private static void check(PeerState s) throws Malformed {
    name("id", s.id());
    if (s.epoch() < 0) {
      throw new Malformed("epoch must not be negative");
    }
    require(s.members() != null && !s.members().isEmpty(), "members must list the sender");
    require(s.members().size() <= MAX_MEMBERS, "too many members");
    for (String m : s.members()) {
      name("members[]", m);
    }
    require(s.members().contains(s.id()), "members must list the sender");
    List<PeerState.LimitDemand> limits = s.limits();
    require(limits != null && limits.size() <= MAX_ENTRIES, "limits missing or too many");
    for (PeerState.LimitDemand d : limits) {
      require(d != null, "limits[] must be objects");
      name("limits[].project", d.project());
      name("limits[].endpoint", d.endpoint());
      rate("limits[].requests", d.requests());
      rate("limits[].tokens", d.tokens());
      require(d.remainingRequests() >= 0 && d.remainingTokens() >= 0, "remaining must be >= 0");
    }
    counts("slotDemand", s.slotDemand());
    counts("claims", s.claims());
  }

  private static void counts(String what, Map<String, Integer> m) throws Malformed {
    require(m != null && m.size() <= MAX_ENTRIES, what + " missing or too large");
    for (var e : m.entrySet()) {
      name(what + " key", e.getKey());
      require(e.getValue() != null && e.getValue() >= 0, what + " values must be counts");
    }
  }

  private static void name(String what, String value) throws Malformed {
    require(
        value != null && !value.isBlank() && value.length() <= MAX_NAME,
        what + " must be a non-empty string of at most " + MAX_NAME + " characters");
  }

  private static void rate(String what, double value) throws Malformed {
    require(Double.isFinite(value) && value >= 0, what + " must be a finite number >= 0");
  }

  private static void require(boolean ok, String message) throws Malformed {
    if (!ok) {
      throw new Malformed(message);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
