package io.dormouse.operator.reconcile;

import io.dormouse.operator.wake.WakeTimeline;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, once per wake, the instants that cut it into phases: the pod's conditions, its node's
 * Ready condition, the kubelet's Pulled event, and the engine's first API-server log line. Every
 * read may fail or find nothing; the phase it would end then takes no time.
 */
final class WakeTimelineReader {

  /** Log lines vLLM writes when its API server process is up (its socket is bound first). */
  static final List<String> LISTENING_LINES =
      List.of("vLLM API server version", "Starting vLLM API server", "Uvicorn running on");

  private static final Logger LOG = LoggerFactory.getLogger(WakeTimelineReader.class);
  private static final int LOG_BYTES = 256 * 1024;

  private final KubernetesClient client;

  WakeTimelineReader(KubernetesClient client) {
    this.client = client;
  }

  WakeTimeline read(Collection<Pod> tierPods, Instant wakeStarted, Instant attempt, Instant now) {
    Optional<Pod> first =
        tierPods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> conditionTrueSince(p, "Ready") != null)
            .min(Comparator.comparing(p -> conditionTrueSince(p, "Ready")));
    if (first.isEmpty()) {
      return new WakeTimeline(wakeStarted, attempt, null, null, null, null, null, now);
    }
    Pod pod = first.get();
    Instant started = containerStarted(pod);
    Instant listening = listening(pod);
    return new WakeTimeline(
        wakeStarted,
        attempt,
        nodeReady(pod.getSpec().getNodeName()),
        conditionTrueSince(pod, "PodScheduled"),
        imagePulled(pod),
        listening != null ? listening : started,
        conditionTrueSince(pod, "Ready"),
        now);
  }

  static Instant conditionTrueSince(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return instant(c.getLastTransitionTime());
      }
    }
    return null;
  }

  private static Instant containerStarted(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    return statuses.stream()
        .filter(s -> s.getState() != null && s.getState().getRunning() != null)
        .map(s -> instant(s.getState().getRunning().getStartedAt()))
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  private Instant nodeReady(String nodeName) {
    if (nodeName == null) {
      return null;
    }
    try {
      Node node = client.nodes().withName(nodeName).get();
      if (node == null) {
        return null;
      }
      if (node.getStatus() != null && node.getStatus().getConditions() != null) {
        for (NodeCondition c : node.getStatus().getConditions()) {
          if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
            Instant at = instant(c.getLastTransitionTime());
            if (at != null) {
              return at;
            }
          }
        }
      }
      return instant(node.getMetadata().getCreationTimestamp());
    } catch (KubernetesClientException e) {
      LOG.debug("node {}: not read for the wake's phases: {}", nodeName, e.getMessage());
      return null;
    }
  }

  private Instant imagePulled(Pod pod) {
    try {
      return client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .withField("involvedObject.uid", pod.getMetadata().getUid())
          .list()
          .getItems()
          .stream()
          .filter(e -> "Pulled".equals(e.getReason()))
          .map(WakeTimelineReader::eventTime)
          .filter(java.util.Objects::nonNull)
          .max(Instant::compareTo)
          .orElse(null);
    } catch (KubernetesClientException e) {
      LOG.debug(
          "pod {}: events not read for the wake's phases: {}",
          pod.getMetadata().getName(),
          e.getMessage());
      return null;
    }
  }

  private static Instant eventTime(Event e) {
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      Instant at = instant(e.getEventTime().getTime());
      if (at != null) {
        return at;
      }
    }
    Instant last = instant(e.getLastTimestamp());
    return last != null ? last : instant(e.getFirstTimestamp());
  }

  private Instant listening(Pod pod) {
    String container =
        pod.getSpec().getContainers().isEmpty()
            ? null
            : pod.getSpec().getContainers().get(0).getName();
    try {
      String log =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .inContainer(container)
              .usingTimestamps()
              .limitBytes(LOG_BYTES)
              .getLog();
      return listeningIn(log);
    } catch (KubernetesClientException e) {
      LOG.debug(
          "pod {}: log not read for the wake's phases: {}",
          pod.getMetadata().getName(),
          e.getMessage());
      return null;
    }
  }

  /** The timestamp of the first line saying the API server is up, in a log read with timestamps. */
  static Instant listeningIn(String log) {
    if (log == null) {
      return null;
    }
    for (String line : log.split("\n")) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      String text = line.substring(space + 1);
      if (LISTENING_LINES.stream().anyMatch(text::contains)) {
        return instant(line.substring(0, space));
      }
    }
    return null;
  }

  private static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
