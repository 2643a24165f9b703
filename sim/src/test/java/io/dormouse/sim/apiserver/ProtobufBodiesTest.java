package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bodies as kubectl 1.32 sends them for built-in kinds: Kubernetes' protobuf envelope. */
class ProtobufBodiesTest {

  private static byte[] envelope(String apiVersion, String kind, Message object) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0x6b, 0x38, 0x73, 0x00});
    Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(object.toByteString())
        .setContentType("")
        .build()
        .writeTo(out);
    return out.toByteArray();
  }

  @Test
  void aSecretReadsAsTheJsonKubectlWouldHaveSent() throws Exception {
    V1.Secret secret =
        V1.Secret.newBuilder()
            .setMetadata(
                Meta.ObjectMeta.newBuilder()
                    .setName("hf")
                    .setNamespace("team-a")
                    .setGenerateName("")
                    .putLabels("app", "x"))
            .putData("token", ByteString.copyFrom("hf_abc", StandardCharsets.UTF_8))
            .setType("Opaque")
            .build();

    Map<String, Object> json =
        ProtobufBodies.toJson(envelope("v1", "Secret", secret)).orElseThrow();

    assertThat(json)
        .containsEntry("apiVersion", "v1")
        .containsEntry("kind", "Secret")
        .containsEntry("type", "Opaque")
        .containsEntry("data", Map.of("token", "aGZfYWJj"));
    // Go writes empty strings into protobuf; JSON omits them.
    assertThat(Json.map(json, "metadata"))
        .containsEntry("name", "hf")
        .containsEntry("labels", Map.of("app", "x"))
        .doesNotContainKey("generateName");
  }

  @Test
  void inlinedStructsIntOrStringAndQuantitiesReadAsJsonWritesThem() throws Exception {
    V1.PodSpec pod =
        V1.PodSpec.newBuilder()
            .addVolumes(
                V1.Volume.newBuilder()
                    .setName("cache")
                    .setVolumeSource(
                        V1.VolumeSource.newBuilder()
                            .setPersistentVolumeClaim(
                                V1.PersistentVolumeClaimVolumeSource.newBuilder()
                                    .setClaimName("model-cache"))))
            .addContainers(
                V1.Container.newBuilder()
                    .setName("vllm")
                    .setResources(
                        V1.ResourceRequirements.newBuilder()
                            .putLimits(
                                "nvidia.com/gpu",
                                io.kubernetes.client.proto.Resource.Quantity.newBuilder()
                                    .setString("1")
                                    .build()))
                    .addPorts(V1.ContainerPort.newBuilder().setContainerPort(8000)))
            .build();
    V1Apps.Deployment deployment =
        V1Apps.Deployment.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
            .setSpec(
                V1Apps.DeploymentSpec.newBuilder()
                    .setReplicas(0)
                    .setStrategy(
                        V1Apps.DeploymentStrategy.newBuilder()
                            .setRollingUpdate(
                                V1Apps.RollingUpdateDeployment.newBuilder()
                                    .setMaxSurge(
                                        io.kubernetes.client.proto.IntStr.IntOrString.newBuilder()
                                            .setType(0)
                                            .setIntVal(0))
                                    .setMaxUnavailable(
                                        io.kubernetes.client.proto.IntStr.IntOrString.newBuilder()
                                            .setType(1)
                                            .setStrVal("25%"))))
                    .setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(pod)))
            .build();

    Map<String, Object> json =
        ProtobufBodies.toJson(envelope("apps/v1", "Deployment", deployment)).orElseThrow();

    assertThat(Json.at(json, "spec.replicas")).isEqualTo(0);
    assertThat(Json.at(json, "spec.strategy.rollingUpdate.maxSurge")).isEqualTo(0);
    assertThat(Json.at(json, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo("25%");
    Map<String, Object> volume = Json.list(json, "spec.template.spec.volumes").get(0);
    assertThat(volume)
        .containsEntry("name", "cache")
        .containsEntry("persistentVolumeClaim", Map.of("claimName", "model-cache"));
    assertThat(Json.at(Json.list(json, "spec.template.spec.containers").get(0), "resources.limits"))
        .isEqualTo(Map.of("nvidia.com/gpu", "1"));
    assertThat(Json.list(json, "spec.template.spec.containers").get(0).get("ports"))
        .isEqualTo(List.of(Map.of("containerPort", 8000)));
  }

  @Test
  void aKindWithoutAMessageIsEmptyAndABodyThatIsNoEnvelopeIsRefused() throws Exception {
    assertThat(
            ProtobufBodies.toJson(
                envelope(
                    "dormouse.io/v1alpha1", "InferenceEndpoint", V1.Secret.getDefaultInstance())))
        .isEmpty();
    assertThatThrownBy(() -> ProtobufBodies.toJson("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not appear to be a protobuf message");
  }
}
