package io.dormouse.operator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which fields of a tier's NodePool are the operator's, and how to put them back after a hand edit
 * without touching the rest.
 *
 * <p>The operator's: the tier label, managed-by label and desired-hash annotation on the NodePool,
 * the tier label on its nodes, the node class, the requirements, the taints, the limits, the
 * consolidation policy and delay, the disruption budgets, and its owner reference. Everything else
 * is the platform team's (or Karpenter's) and never written after creation: e.g. {@code weight},
 * {@code expireAfter}, {@code terminationGracePeriod}, {@code startupTaints}, other labels and
 * annotations (Karpenter keeps its hash annotations there). So the put-back is a JSON Patch of only
 * the operator's paths, computed from the object as read, never a whole-object update.
 */
public final class NodePoolOwnership {

  /** Whole values the operator owns (JSON Pointers). */
  public static final List<String> OWNED_VALUES =
      List.of(
          "/spec/template/spec/nodeClassRef",
          "/spec/template/spec/requirements",
          "/spec/template/spec/taints",
          "/spec/limits",
          "/spec/disruption/consolidationPolicy",
          "/spec/disruption/consolidateAfter",
          "/spec/disruption/budgets");

  /**
   * On the NodePool: a hash of what the operator last wanted, so that a difference under an
   * unchanged hash reads as a hand edit, and under a new hash as a new spec.
   */
  public static final String ANNOTATION_HASH = "dormouse.io/desired-hash";

  /** Single entries of maps the operator owns; the rest of each map is the platform team's. */
  public static final List<String> OWNED_ENTRIES =
      List.of(
          "/metadata/annotations/dormouse.io~1desired-hash",
          "/metadata/labels/dormouse.io~1tier",
          "/metadata/labels/app.kubernetes.io~1managed-by",
          "/spec/template/metadata/labels/dormouse.io~1tier");

  static final String OWNER_REFERENCES = "/metadata/ownerReferences";
  private static final String NODE_CLASS = "/spec/template/spec/nodeClassRef";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private NodePoolOwnership() {}

  /** Whether an owner reference of the object names this uid. */
  public static boolean ownedBy(JsonNode object, String uid) {
    for (JsonNode ref : object.at(OWNER_REFERENCES)) {
      if (Objects.equals(ref.path("uid").asText(null), uid)) {
        return true;
      }
    }
    return false;
  }

  /** The operator's fields (JSON Pointers) on which the object differs from the desired one. */
  public static List<String> changedFields(JsonNode existing, JsonNode desired) {
    List<String> changed = new ArrayList<>();
    for (String pointer : owned()) {
      if (!Objects.equals(present(existing.at(pointer)), present(desired.at(pointer)))) {
        changed.add(pointer);
      }
    }
    String uid = desired.at(OWNER_REFERENCES).path(0).path("uid").asText(null);
    if (uid != null && !ownedBy(existing, uid)) {
      changed.add(OWNER_REFERENCES);
    }
    return changed;
  }

  /**
   * Karpenter refuses a change of the node class's group or kind (they are immutable); such a
   * NodePool must be replaced, which the operator leaves to a person since it drains the nodes.
   */
  public static boolean nodeClassKindChanged(JsonNode existing, JsonNode desired) {
    JsonNode before = existing.at(NODE_CLASS);
    JsonNode after = desired.at(NODE_CLASS);
    return before.isObject()
        && (!Objects.equals(before.path("group"), after.path("group"))
            || !Objects.equals(before.path("kind"), after.path("kind")));
  }

  /**
   * The RFC 6902 JSON Patch that gives the object the desired values of the operator's fields and
   * changes nothing else; empty when nothing of the operator's differs.
   */
  public static ArrayNode putBack(JsonNode existing, JsonNode desired) {
    ArrayNode ops = JSON.arrayNode();
    // Each op is also applied to this copy, so the next one sees the parents the last one made.
    JsonNode working = existing.deepCopy();
    for (String pointer : owned()) {
      JsonNode want = present(desired.at(pointer));
      JsonNode have = present(working.at(pointer));
      if (Objects.equals(have, want)) {
        continue;
      }
      if (want == null) {
        ops.addObject().put("op", "remove").put("path", pointer);
        ((ObjectNode) working.at(parentOf(pointer))).remove(unescape(lastOf(pointer)));
      } else {
        add(ops, working, pointer, want);
      }
    }
    JsonNode ours = desired.at(OWNER_REFERENCES).path(0);
    if (ours.isObject() && !ownedBy(working, ours.path("uid").asText(null))) {
      if (working.at(OWNER_REFERENCES).isArray()) {
        ops.addObject().put("op", "add").put("path", OWNER_REFERENCES + "/-").set("value", ours);
      } else {
        add(ops, working, OWNER_REFERENCES, JSON.arrayNode().add(ours));
      }
    }
    return ops;
  }

  private static List<String> owned() {
    List<String> all = new ArrayList<>(OWNED_VALUES);
    all.addAll(OWNED_ENTRIES);
    return all;
  }

  /**
   * An "add" at the pointer, or at its first missing ancestor with the value nested inside; applied
   * to {@code working} too.
   */
  private static void add(ArrayNode ops, JsonNode working, String pointer, JsonNode value) {
    String[] segments = pointer.substring(1).split("/");
    int present = 0;
    JsonNode node = working;
    while (present < segments.length - 1) {
      JsonNode child = node.path(unescape(segments[present]));
      if (!child.isObject()) {
        break;
      }
      node = child;
      present++;
    }
    JsonNode nested = value;
    for (int i = segments.length - 1; i > present; i--) {
      ObjectNode wrapper = JSON.objectNode();
      wrapper.set(unescape(segments[i]), nested);
      nested = wrapper;
    }
    StringBuilder path = new StringBuilder();
    for (int i = 0; i <= present; i++) {
      path.append('/').append(segments[i]);
    }
    ops.addObject().put("op", "add").put("path", path.toString()).set("value", nested);
    ((ObjectNode) node).set(unescape(segments[present]), nested.deepCopy());
  }

  private static String parentOf(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }

  private static String lastOf(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1);
  }

  private static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }

  /** A value that is there, or null for a missing or null one. */
  private static JsonNode present(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node;
  }
}
