package io.dormouse.operator.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.dormouse.api.events.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Builds the CloudEvents 1.0 that subscribers receive (structured JSON, docs/events/ has the
 * schema). The id is a name-based UUID of the endpoint's uid, the type, the tier and the decision's
 * instant: the same transition recorded twice is one event, and receivers deduplicate by it.
 */
public final class EventFactory {

  public static final String SPEC_SOURCE_PREFIX = "/apis/dormouse.io/v1alpha1/namespaces/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventFormat FORMAT = new JsonFormat();

  /** What an endpoint event says. Null fields are left out of {@code data}. */
  public record EndpointData(
      String namespace,
      String endpoint,
      String tier,
      Integer replicas,
      Integer readyReplicas,
      String phase,
      String reason,
      String message) {}

  private EventFactory() {}

  public static UUID id(String uid, EventType type, String tier, Instant at) {
    return UUID.nameUUIDFromBytes(
        (uid + "|" + type.type() + "|" + (tier == null ? "" : tier) + "|" + at.toEpochMilli())
            .getBytes(StandardCharsets.UTF_8));
  }

  public static CloudEvent endpointEvent(UUID id, EventType type, EndpointData data, Instant at) {
    ObjectNode body = JSON.createObjectNode();
    body.put("namespace", data.namespace());
    body.put("endpoint", data.endpoint());
    putIfSet(body, "tier", data.tier());
    if (data.replicas() != null) {
      body.put("replicas", data.replicas());
    }
    if (data.readyReplicas() != null) {
      body.put("readyReplicas", data.readyReplicas());
    }
    putIfSet(body, "phase", data.phase());
    putIfSet(body, "reason", data.reason());
    putIfSet(body, "message", data.message());
    return CloudEventBuilder.v1()
        .withId(id.toString())
        .withSource(
            URI.create(
                SPEC_SOURCE_PREFIX + data.namespace() + "/inferenceendpoints/" + data.endpoint()))
        .withType(type.type())
        .withSubject(data.namespace() + "/" + data.endpoint())
        .withTime(at.atOffset(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(body.toString().getBytes(StandardCharsets.UTF_8))
        .build();
  }

  /** The structured-mode JSON of an event: what is stored in the outbox and posted. */
  public static String json(CloudEvent event) {
    return new String(FORMAT.serialize(event), StandardCharsets.UTF_8);
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
