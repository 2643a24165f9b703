package io.dormouse.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.api.v1alpha1.CapacityType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A NodePool edited by hand: the operator's fields are put back by a patch of only those paths; the
 * platform team's fields and Karpenter's own annotations are left as they are.
 */
class NodePoolOwnershipTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The desired NodePool as it reads back from the API server, with server-side fields. */
  private static ObjectNode desired() {
    ObjectNode pool =
        JSON.convertValue(
            GpuNodePool.build(GpuNodePoolTest.tier(CapacityType.SPOT)), ObjectNode.class);
    ((ObjectNode) pool.get("metadata"))
        .putObject("annotations")
        .put(NodePoolOwnership.ANNOTATION_HASH, "h1");
    return pool;
  }

  private static ObjectNode asFromTheServer() {
    ObjectNode pool = desired();
    ObjectNode meta = (ObjectNode) pool.get("metadata");
    meta.put("resourceVersion", "7").put("uid", "pool-uid");
    ((ObjectNode) meta.get("annotations")).put("karpenter.sh/nodepool-hash", "123");
    ((ObjectNode) pool.at("/spec/template/spec")).put("expireAfter", "720h");
    return pool;
  }

  static Stream<Arguments> handEdits() {
    return Stream.of(
        edit(
            "capacity type changed",
            p -> at(p, "/spec/template/spec/requirements/0").putArray("values").add("on-demand"),
            "/spec/template/spec/requirements"),
        edit(
            "a requirement removed",
            p -> ((ArrayNode) p.at("/spec/template/spec/requirements")).remove(1),
            "/spec/template/spec/requirements"),
        edit(
            "requirements removed",
            p -> at(p, "/spec/template/spec").remove("requirements"),
            "/spec/template/spec/requirements"),
        edit(
            "a taint added",
            p ->
                at(p, "/spec/template/spec")
                    .putArray("taints")
                    .addObject()
                    .put("key", "x")
                    .put("effect", "NoSchedule"),
            "/spec/template/spec/taints"),
        edit(
            "the GPU limit raised",
            p -> at(p, "/spec/limits").put("nvidia.com/gpu", 64),
            "/spec/limits"),
        edit("a CPU limit added", p -> at(p, "/spec/limits").put("cpu", "1000"), "/spec/limits"),
        edit(
            "consolidation of underused nodes",
            p -> at(p, "/spec/disruption").put("consolidationPolicy", "WhenEmptyOrUnderutilized"),
            "/spec/disruption/consolidationPolicy"),
        edit(
            "nodes kept longer",
            p -> at(p, "/spec/disruption").put("consolidateAfter", "Never"),
            "/spec/disruption/consolidateAfter"),
        edit(
            "budgets removed",
            p -> at(p, "/spec/disruption").remove("budgets"),
            "/spec/disruption/budgets"),
        edit(
            "the node class renamed",
            p -> at(p, "/spec/template/spec/nodeClassRef").put("name", "other"),
            "/spec/template/spec/nodeClassRef"),
        edit(
            "the node tier label removed",
            p -> at(p, "/spec/template/metadata/labels").remove("dormouse.io/tier"),
            "/spec/template/metadata/labels/dormouse.io~1tier"),
        edit(
            "the node labels removed altogether",
            p -> at(p, "/spec/template").remove("metadata"),
            "/spec/template/metadata/labels/dormouse.io~1tier"),
        edit(
            "the NodePool's labels cleared",
            p -> at(p, "/metadata").remove("labels"),
            "/metadata/labels/dormouse.io~1tier",
            "/metadata/labels/app.kubernetes.io~1managed-by"),
        edit(
            "the owner reference removed",
            p -> at(p, "/metadata").remove("ownerReferences"),
            "/metadata/ownerReferences"),
        edit(
            "another owner added in place of ours",
            p ->
                ((ObjectNode) p.at("/metadata/ownerReferences/0"))
                    .put("uid", "someone-else")
                    .put("name", "x"),
            "/metadata/ownerReferences"));
  }

  private static Arguments edit(String name, Consumer<ObjectNode> edit, String... fields) {
    return Arguments.of(name, edit, List.of(fields));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("handEdits")
  void aHandEditOfTheOperatorsFieldsIsPutBackAndNothingElseChanges(
      String name, Consumer<ObjectNode> edit, List<String> fields) {
    ObjectNode edited = asFromTheServer();
    edit.accept(edited);
    ObjectNode want = desired();

    assertThat(NodePoolOwnership.changedFields(edited, want)).isEqualTo(fields);
    ArrayNode patch = NodePoolOwnership.putBack(edited, want);
    JsonNode after = JsonPatch.apply(patch, edited);

    assertThat(NodePoolOwnership.changedFields(after, want)).isEmpty();
    assertThat(NodePoolOwnership.putBack(after, want)).isEmpty();
    assertThat(after.at("/metadata/annotations/karpenter.sh~1nodepool-hash").asText())
        .isEqualTo("123");
    assertThat(after.at("/spec/template/spec/expireAfter").asText()).isEqualTo("720h");
    assertThat(after.at("/metadata/resourceVersion").asText()).isEqualTo("7");
    if (!fields.contains("/metadata/ownerReferences")) {
      assertThat(after.at("/metadata/ownerReferences"))
          .isEqualTo(edited.at("/metadata/ownerReferences"));
    }
  }

  @Test
  void anotherOwnersReferenceIsKeptBesideOurs() {
    ObjectNode edited = asFromTheServer();
    ((ArrayNode) edited.at("/metadata/ownerReferences"))
        .addObject()
        .put("apiVersion", "example.com/v1")
        .put("kind", "Thing")
        .put("name", "t")
        .put("uid", "thing-uid");
    ((ArrayNode) edited.at("/metadata/ownerReferences")).remove(0);

    JsonNode after = JsonPatch.apply(NodePoolOwnership.putBack(edited, desired()), edited);

    assertThat(after.at("/metadata/ownerReferences"))
        .extracting(r -> r.path("uid").asText())
        .containsExactly("thing-uid", "tier-uid");
  }

  static Stream<Arguments> platformEdits() {
    return Stream.of(
        Arguments.of("weight", (Consumer<ObjectNode>) p -> at(p, "/spec").put("weight", 50)),
        Arguments.of(
            "expireAfter",
            (Consumer<ObjectNode>) p -> at(p, "/spec/template/spec").put("expireAfter", "Never")),
        Arguments.of(
            "terminationGracePeriod",
            (Consumer<ObjectNode>)
                p -> at(p, "/spec/template/spec").put("terminationGracePeriod", "48h")),
        Arguments.of(
            "startupTaints",
            (Consumer<ObjectNode>)
                p ->
                    at(p, "/spec/template/spec")
                        .putArray("startupTaints")
                        .addObject()
                        .put("key", "node.cilium.io/agent-not-ready")
                        .put("effect", "NoExecute")),
        Arguments.of(
            "a node label of the platform team",
            (Consumer<ObjectNode>)
                p -> at(p, "/spec/template/metadata/labels").put("team", "ml-platform")),
        Arguments.of(
            "a node annotation",
            (Consumer<ObjectNode>)
                p ->
                    at(p, "/spec/template")
                        .with("metadata")
                        .putObject("annotations")
                        .put("a", "b")),
        Arguments.of(
            "a NodePool label and annotation",
            (Consumer<ObjectNode>)
                p -> {
                  at(p, "/metadata/labels").put("cost-centre", "ml");
                  at(p, "/metadata/annotations").put("karpenter.sh/nodepool-hash", "456");
                }),
        Arguments.of(
            "Karpenter's status",
            (Consumer<ObjectNode>) p -> p.putObject("status").put("nodes", 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("platformEdits")
  void theFieldsOfThePlatformTeamAreLeftAlone(String name, Consumer<ObjectNode> edit) {
    ObjectNode edited = asFromTheServer();
    edit.accept(edited);

    assertThat(NodePoolOwnership.changedFields(edited, desired())).isEmpty();
    assertThat(NodePoolOwnership.putBack(edited, desired())).isEmpty();
  }

  @Test
  void aNodeClassOfAnotherKindIsAChangeKarpenterRefusesButANewNameIsNot() {
    ObjectNode renamed = asFromTheServer();
    at(renamed, "/spec/template/spec/nodeClassRef").put("name", "gpu-v2");
    ObjectNode otherKind = asFromTheServer();
    at(otherKind, "/spec/template/spec/nodeClassRef").put("kind", "AKSNodeClass");
    ObjectNode otherGroup = asFromTheServer();
    at(otherGroup, "/spec/template/spec/nodeClassRef").put("group", "karpenter.azure.com");

    assertThat(NodePoolOwnership.nodeClassKindChanged(renamed, desired())).isFalse();
    assertThat(NodePoolOwnership.nodeClassKindChanged(otherKind, desired())).isTrue();
    assertThat(NodePoolOwnership.nodeClassKindChanged(otherGroup, desired())).isTrue();
  }

  @Test
  void ownershipIsByTheTiersUid() {
    assertThat(NodePoolOwnership.ownedBy(asFromTheServer(), "tier-uid")).isTrue();
    assertThat(NodePoolOwnership.ownedBy(asFromTheServer(), "other-uid")).isFalse();
  }

  private static ObjectNode at(ObjectNode root, String pointer) {
    return (ObjectNode) root.at(pointer);
  }
}
