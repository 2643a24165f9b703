package io.dormouse.sim.apiserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Request bodies in Kubernetes' protobuf encoding, turned into the JSON the store holds. kubectl
 * 1.32 sends every built-in kind it creates itself ({@code create namespace}, {@code create
 * secret}) as protobuf, whatever the server advertises. The messages are Kubernetes' own, from
 * client-java-proto; what JSON inlines ({@code Volume.volumeSource}) is inlined here too.
 */
final class ProtobufBodies {

  /** {@code k8s\0}: the envelope every Kubernetes protobuf body starts with. */
  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  /** Fields that Go embeds with {@code json:",inline"}: their fields belong to the parent. */
  private static final Set<String> INLINE =
      Set.of(
          "k8s.io.api.core.v1.Volume.volumeSource",
          "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
          "k8s.io.api.core.v1.Probe.handler",
          "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon");

  private static final Map<String, Descriptor> MESSAGES = index();

  private ProtobufBodies() {}

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf");
  }

  /**
   * The object {@code body} encodes, as JSON maps, or empty for a kind the sim has no message of.
   *
   * @throws IllegalArgumentException when the body is not a Kubernetes protobuf message
   */
  static Optional<Map<String, Object>> toJson(byte[] body) {
    if (body.length < MAGIC.length
        || !java.util.Arrays.equals(java.util.Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("provided data does not appear to be a protobuf message");
    }
    Runtime.Unknown unknown;
    try {
      unknown =
          Runtime.Unknown.parseFrom(
              ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot read the protobuf envelope: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    Descriptor type = MESSAGES.get(messageName(apiVersion, kind));
    if (type == null) {
      type = MESSAGES.get(META + kind); // DeleteOptions and the other meta/v1 kinds
    }
    if (type == null) {
      return Optional.empty();
    }
    DynamicMessage message;
    try {
      message = DynamicMessage.parseFrom(type, unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot read the " + kind + ": " + e.getMessage());
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.putAll(fields(message));
    return Optional.of(object);
  }

  /** {@code apps/v1} Deployment → {@code k8s.io.api.apps.v1.Deployment}. */
  private static String messageName(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "core" : apiVersion.substring(0, slash).split("\\.")[0];
    String version = apiVersion.substring(slash + 1);
    return "k8s.io.api." + group + "." + version + "." + kind;
  }

  private static Map<String, Object> fields(Message message) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      Object value = value(field, e.getValue());
      if ("".equals(value)) {
        continue; // Go writes empty strings to protobuf, but omits them from JSON
      }
      if (INLINE.contains(message.getDescriptorForType().getFullName() + "." + field.getName())
          && value instanceof Map<?, ?> inner) {
        inner.forEach((k, v) -> out.put(String.valueOf(k), v));
      } else {
        out.put(field.getName(), value);
      }
    }
    return out;
  }

  private static Object value(FieldDescriptor field, Object value) {
    if (field.isMapField()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Object entry : (List<?>) value) {
        Message m = (Message) entry;
        FieldDescriptor key = m.getDescriptorForType().findFieldByName("key");
        FieldDescriptor val = m.getDescriptorForType().findFieldByName("value");
        map.put(String.valueOf(m.getField(key)), single(val, m.getField(val)));
      }
      return map;
    }
    if (field.isRepeated()) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) value) {
        list.add(single(field, item));
      }
      return list;
    }
    return single(field, value);
  }

  private static Object single(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case BYTE_STRING -> Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
      case MESSAGE -> message((Message) value);
      case ENUM -> value.toString();
      default -> value;
    };
  }

  /** A message, with the apimachinery types JSON writes as scalars. */
  private static Object message(Message m) {
    String type = m.getDescriptorForType().getFullName();
    return switch (type) {
      case META + "Time" -> time(m, ChronoUnit.SECONDS);
      case META + "MicroTime" -> time(m, ChronoUnit.MICROS);
      case META + "Duration" -> goDuration(longField(m, "duration"));
      case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension" -> embedded(m);
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" ->
          longField(m, "type") == 1
              ? m.getField(m.getDescriptorForType().findFieldByName("strVal"))
              : m.getField(m.getDescriptorForType().findFieldByName("intVal"));
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" ->
          m.getField(m.getDescriptorForType().findFieldByName("string"));
      default -> fields(m);
    };
  }

  private static String time(Message m, ChronoUnit precision) {
    Instant at = Instant.ofEpochSecond(longField(m, "seconds"), longField(m, "nanos"));
    return at.truncatedTo(precision).toString();
  }

  private static long longField(Message m, String name) {
    Object v = m.getField(m.getDescriptorForType().findFieldByName(name));
    return v instanceof Number n ? n.longValue() : 0;
  }

  /** The JSON a raw field carries ({@code FieldsV1.Raw}, {@code RawExtension.raw}). */
  private static Object embedded(Message m) {
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      if (e.getValue() instanceof ByteString raw && !raw.isEmpty()) {
        try {
          return Json.MAPPER.readValue(raw.toByteArray(), Object.class);
        } catch (java.io.IOException ex) {
          return null;
        }
      }
    }
    return Map.of();
  }

  /** Go's time.Duration text: {@code 1m30s}, {@code 250ms}. */
  private static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    java.time.Duration d = java.time.Duration.ofNanos(nanos);
    if (d.toSeconds() == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder s = new StringBuilder();
    if (d.toHours() > 0) {
      s.append(d.toHours()).append('h');
    }
    if (d.toHours() > 0 || d.toMinutesPart() > 0) {
      s.append(d.toMinutesPart()).append('m');
    }
    s.append(d.toSecondsPart());
    if (d.toMillisPart() > 0) {
      s.append('.').append(String.format("%03d", d.toMillisPart()).replaceAll("0+$", ""));
    }
    return s.append('s').toString();
  }

  /** Every message of every API group client-java-proto carries, by full name. */
  private static Map<String, Descriptor> index() {
    Map<String, Descriptor> all = new HashMap<>();
    List<FileDescriptor> files =
        List.of(
            io.kubernetes.client.proto.Meta.getDescriptor(),
            io.kubernetes.client.proto.V1.getDescriptor(),
            io.kubernetes.client.proto.V1Apps.getDescriptor(),
            io.kubernetes.client.proto.V1Batch.getDescriptor(),
            io.kubernetes.client.proto.V1Networking.getDescriptor(),
            io.kubernetes.client.proto.V1Policy.getDescriptor(),
            io.kubernetes.client.proto.V1Rbac.getDescriptor(),
            io.kubernetes.client.proto.V1Storage.getDescriptor(),
            io.kubernetes.client.proto.V1Scheduling.getDescriptor(),
            io.kubernetes.client.proto.V1Autoscaling.getDescriptor());
    for (FileDescriptor f : files) {
      for (Descriptor d : f.getMessageTypes()) {
        all.put(d.getFullName(), d);
      }
    }
    return Map.copyOf(all);
  }
}
