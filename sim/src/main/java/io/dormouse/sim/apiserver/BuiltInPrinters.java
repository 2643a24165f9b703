package io.dormouse.sim.apiserver;

import io.dormouse.sim.apiserver.Tables.Column;
import io.dormouse.sim.apiserver.Tables.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The table columns of the built-in kinds the sim holds, as Kubernetes' own printers make them:
 * {@code kubectl get pods} shows READY, STATUS, RESTARTS, AGE; {@code get deploy} READY,
 * UP-TO-DATE, AVAILABLE, AGE; {@code get events} LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.
 */
final class BuiltInPrinters {

  private static final String NONE = "<none>";

  private BuiltInPrinters() {}

  /** The printer of {@code plural} in {@code group} ("" for the core group), if it has one. */
  static Optional<Printer> of(String group, String plural) {
    return Optional.ofNullable(
        switch (group + "/" + plural) {
          case "/pods" ->
              printer(
                  BuiltInPrinters::pod,
                  "Name",
                  "Ready",
                  "Status",
                  "Restarts",
                  "Age",
                  "~IP",
                  "~Node",
                  "~Nominated Node",
                  "~Readiness Gates");
          case "apps/deployments" ->
              printer(
                  BuiltInPrinters::deployment,
                  "Name",
                  "Ready",
                  "Up-to-date",
                  "Available",
                  "Age",
                  "~Containers",
                  "~Images",
                  "~Selector");
          case "apps/replicasets" ->
              printer(BuiltInPrinters::replicaSet, "Name", "Desired", "Current", "Ready", "Age");
          case "/events" ->
              printer(
                  BuiltInPrinters::event,
                  "Last Seen",
                  "Type",
                  "Reason",
                  "Object",
                  "~Subobject",
                  "~Source",
                  "Message",
                  "~First Seen",
                  "~Count",
                  "~Name");
          case "/nodes" ->
              printer(
                  BuiltInPrinters::node,
                  "Name",
                  "Status",
                  "Roles",
                  "Age",
                  "Version",
                  "~Internal-IP",
                  "~External-IP",
                  "~OS-Image",
                  "~Kernel-Version",
                  "~Container-Runtime");
          case "/namespaces" -> printer(BuiltInPrinters::namespace, "Name", "Status", "Age");
          case "/services" ->
              printer(
                  BuiltInPrinters::service,
                  "Name",
                  "Type",
                  "Cluster-IP",
                  "External-IP",
                  "Port(s)",
                  "Age",
                  "~Selector");
          case "/secrets" -> printer(BuiltInPrinters::secret, "Name", "Type", "Data", "Age");
          case "/configmaps" -> printer(BuiltInPrinters::configMap, "Name", "Data", "Age");
          case "/serviceaccounts" ->
              printer(BuiltInPrinters::serviceAccount, "Name", "Secrets", "Age");
          case "/persistentvolumeclaims" ->
              printer(
                  BuiltInPrinters::claim,
                  "Name",
                  "Status",
                  "Volume",
                  "Capacity",
                  "Access Modes",
                  "StorageClass",
                  "VolumeAttributesClass",
                  "Age",
                  "~VolumeMode");
          case "discovery.k8s.io/endpointslices" ->
              printer(BuiltInPrinters::slice, "Name", "AddressType", "Ports", "Endpoints", "Age");
          case "coordination.k8s.io/leases" ->
              printer(BuiltInPrinters::lease, "Name", "Holder", "Age");
          case "networking.k8s.io/networkpolicies" ->
              printer(BuiltInPrinters::networkPolicy, "Name", "Pod-Selector", "Age");
          default -> null;
        });
  }

  /** Column names; a leading {@code ~} marks a column shown only with {@code -o wide}. */
  private static Printer printer(
      BiFunction<Map<String, Object>, Instant, List<Object>> row, String... names) {
    List<Column> columns = new ArrayList<>();
    for (String n : names) {
      boolean wide = n.startsWith("~");
      String name = wide ? n.substring(1) : n;
      columns.add(new Column(name, "string", name.equals("Name") ? "name" : "", wide ? 1 : 0));
    }
    return new Printer() {
      @Override
      public List<Column> columns() {
        return columns;
      }

      @Override
      public List<Object> cells(Map<String, Object> object, Instant now) {
        return row.apply(object, now);
      }
    };
  }

  private static String name(Map<String, Object> o) {
    return Json.text(o, "metadata.name");
  }

  private static String age(Map<String, Object> o, Instant now) {
    return HumanDuration.since(Json.at(o, "metadata.creationTimestamp"), now);
  }

  private static List<Object> pod(Map<String, Object> o, Instant now) {
    List<Map<String, Object>> containers = Json.list(o, "spec.containers");
    List<Map<String, Object>> statuses = Json.list(o, "status.containerStatuses");
    long ready = statuses.stream().filter(s -> Boolean.TRUE.equals(s.get("ready"))).count();
    long restarts = statuses.stream().mapToLong(s -> Json.number(s, "restartCount")).sum();
    return cells(
        name(o),
        ready + "/" + containers.size(),
        podStatus(o, statuses),
        String.valueOf(restarts),
        age(o, now),
        orNone(Json.text(o, "status.podIP")),
        orNone(Json.text(o, "spec.nodeName")),
        orNone(Json.text(o, "status.nominatedNodeName")),
        NONE);
  }

  /** The STATUS of {@code kubectl get pods}: the phase, unless a container says more. */
  private static String podStatus(Map<String, Object> o, List<Map<String, Object>> statuses) {
    String reason = Json.text(o, "status.reason");
    if (reason == null || reason.isEmpty()) {
      reason = Optional.ofNullable(Json.text(o, "status.phase")).orElse("Pending");
    }
    boolean running = false;
    for (int i = statuses.size() - 1; i >= 0; i--) {
      Map<String, Object> s = statuses.get(i);
      String waiting = Json.text(s, "state.waiting.reason");
      String terminated = Json.text(s, "state.terminated.reason");
      if (waiting != null && !waiting.isEmpty()) {
        reason = waiting;
      } else if (terminated != null && !terminated.isEmpty()) {
        reason = terminated;
      } else if (Json.at(s, "state.terminated") != null) {
        reason = "ExitCode:" + Json.number(s, "state.terminated.exitCode");
      } else if (Json.at(s, "state.running") != null && Boolean.TRUE.equals(s.get("ready"))) {
        running = true;
      }
    }
    if (reason.equals("Completed") && running) {
      reason = "Running";
    }
    if (Json.at(o, "metadata.deletionTimestamp") != null) {
      reason = "Terminating";
    }
    return reason;
  }

  private static List<Object> deployment(Map<String, Object> o, Instant now) {
    List<Map<String, Object>> containers = Json.list(o, "spec.template.spec.containers");
    return cells(
        name(o),
        Json.number(o, "status.readyReplicas") + "/" + Json.number(o, "spec.replicas"),
        Json.number(o, "status.updatedReplicas"),
        Json.number(o, "status.availableReplicas"),
        age(o, now),
        containers.stream().map(c -> Json.text(c, "name")).collect(Collectors.joining(",")),
        containers.stream().map(c -> Json.text(c, "image")).collect(Collectors.joining(",")),
        labels(Json.map(o, "spec.selector.matchLabels")));
  }

  private static List<Object> replicaSet(Map<String, Object> o, Instant now) {
    return cells(
        name(o),
        Json.number(o, "spec.replicas"),
        Json.number(o, "status.replicas"),
        Json.number(o, "status.readyReplicas"),
        age(o, now));
  }

  private static List<Object> event(Map<String, Object> o, Instant now) {
    Object last = Json.at(o, "lastTimestamp");
    if (last == null) {
      last = Json.at(o, "eventTime");
    }
    Object first = Json.at(o, "firstTimestamp");
    long count = Json.number(o, "count");
    String lastSeen = HumanDuration.since(last, now);
    if (count > 1 && first != null) {
      lastSeen += " (x" + count + " over " + HumanDuration.since(first, now) + ")";
    }
    String kind = Optional.ofNullable(Json.text(o, "involvedObject.kind")).orElse("");
    String message = Optional.ofNullable(Json.text(o, "message")).orElse("").strip();
    return cells(
        lastSeen,
        Json.text(o, "type"),
        Json.text(o, "reason"),
        kind.toLowerCase(java.util.Locale.ROOT) + "/" + Json.text(o, "involvedObject.name"),
        Optional.ofNullable(Json.text(o, "involvedObject.fieldPath")).orElse(""),
        Optional.ofNullable(Json.text(o, "source.component"))
            .orElse(Optional.ofNullable(Json.text(o, "reportingComponent")).orElse("")),
        message.lines().findFirst().orElse(""),
        HumanDuration.since(first, now),
        String.valueOf(count),
        name(o));
  }

  private static List<Object> node(Map<String, Object> o, Instant now) {
    String status = "Unknown";
    for (Map<String, Object> c : Json.list(o, "status.conditions")) {
      if ("Ready".equals(c.get("type"))) {
        status = "True".equals(c.get("status")) ? "Ready" : "NotReady";
      }
    }
    if (Boolean.TRUE.equals(Json.at(o, "spec.unschedulable"))) {
      status += ",SchedulingDisabled";
    }
    List<String> roles =
        Json.map(o, "metadata.labels").keySet().stream()
            .filter(k -> k.startsWith("node-role.kubernetes.io/"))
            .map(k -> k.substring("node-role.kubernetes.io/".length()))
            .sorted()
            .toList();
    String internal = NONE;
    String external = NONE;
    for (Map<String, Object> a : Json.list(o, "status.addresses")) {
      if ("InternalIP".equals(a.get("type"))) {
        internal = Json.text(a, "address");
      } else if ("ExternalIP".equals(a.get("type"))) {
        external = Json.text(a, "address");
      }
    }
    return cells(
        name(o),
        status,
        roles.isEmpty() ? NONE : String.join(",", roles),
        age(o, now),
        orNone(Json.text(o, "status.nodeInfo.kubeletVersion")),
        internal,
        external,
        orNone(Json.text(o, "status.nodeInfo.osImage")),
        orNone(Json.text(o, "status.nodeInfo.kernelVersion")),
        orNone(Json.text(o, "status.nodeInfo.containerRuntimeVersion")));
  }

  private static List<Object> namespace(Map<String, Object> o, Instant now) {
    return cells(
        name(o), Optional.ofNullable(Json.text(o, "status.phase")).orElse("Active"), age(o, now));
  }

  private static List<Object> service(Map<String, Object> o, Instant now) {
    List<String> ports = new ArrayList<>();
    for (Map<String, Object> p : Json.list(o, "spec.ports")) {
      String protocol = Optional.ofNullable(Json.text(p, "protocol")).orElse("TCP");
      Object nodePort = p.get("nodePort");
      ports.add(p.get("port") + (nodePort == null ? "" : ":" + nodePort) + "/" + protocol);
    }
    return cells(
        name(o),
        Optional.ofNullable(Json.text(o, "spec.type")).orElse("ClusterIP"),
        orNone(Json.text(o, "spec.clusterIP")),
        NONE,
        ports.isEmpty() ? NONE : String.join(",", ports),
        age(o, now),
        labels(Json.map(o, "spec.selector")));
  }

  private static List<Object> secret(Map<String, Object> o, Instant now) {
    return cells(
        name(o),
        Optional.ofNullable(Json.text(o, "type")).orElse("Opaque"),
        Json.map(o, "data").size(),
        age(o, now));
  }

  private static List<Object> configMap(Map<String, Object> o, Instant now) {
    return cells(
        name(o), Json.map(o, "data").size() + Json.map(o, "binaryData").size(), age(o, now));
  }

  private static List<Object> serviceAccount(Map<String, Object> o, Instant now) {
    return cells(name(o), Json.list(o, "secrets").size(), age(o, now));
  }

  private static List<Object> claim(Map<String, Object> o, Instant now) {
    List<Object> modes =
        Json.at(o, "spec.accessModes") instanceof List<?> l ? List.copyOf(l) : List.of();
    return cells(
        name(o),
        Optional.ofNullable(Json.text(o, "status.phase")).orElse("Pending"),
        Optional.ofNullable(Json.text(o, "spec.volumeName")).orElse(""),
        Optional.ofNullable(Json.text(o, "status.capacity.storage")).orElse(""),
        modes.stream().map(m -> accessMode(String.valueOf(m))).collect(Collectors.joining(",")),
        Optional.ofNullable(Json.text(o, "spec.storageClassName")).orElse(""),
        Optional.ofNullable(Json.text(o, "spec.volumeAttributesClassName")).orElse(NONE),
        age(o, now),
        Optional.ofNullable(Json.text(o, "spec.volumeMode")).orElse("Filesystem"));
  }

  private static String accessMode(String mode) {
    return switch (mode) {
      case "ReadWriteOnce" -> "RWO";
      case "ReadOnlyMany" -> "ROX";
      case "ReadWriteMany" -> "RWX";
      case "ReadWriteOncePod" -> "RWOP";
      default -> mode;
    };
  }

  private static List<Object> slice(Map<String, Object> o, Instant now) {
    List<String> ports =
        Json.list(o, "ports").stream().map(p -> String.valueOf(p.get("port"))).toList();
    List<String> addresses = new ArrayList<>();
    for (Map<String, Object> e : Json.list(o, "endpoints")) {
      if (e.get("addresses") instanceof List<?> l) {
        l.forEach(a -> addresses.add(String.valueOf(a)));
      }
    }
    String shown =
        addresses.size() > 3
            ? String.join(",", addresses.subList(0, 3))
                + " + "
                + (addresses.size() - 3)
                + " more..."
            : String.join(",", addresses);
    return cells(
        name(o),
        Json.text(o, "addressType"),
        ports.isEmpty() ? NONE : String.join(",", ports),
        addresses.isEmpty() ? "<unset>" : shown,
        age(o, now));
  }

  private static List<Object> lease(Map<String, Object> o, Instant now) {
    return cells(
        name(o), Optional.ofNullable(Json.text(o, "spec.holderIdentity")).orElse(""), age(o, now));
  }

  private static List<Object> networkPolicy(Map<String, Object> o, Instant now) {
    String selector = labels(Json.map(o, "spec.podSelector.matchLabels"));
    return cells(name(o), selector.equals(NONE) ? "<none>" : selector, age(o, now));
  }

  private static String labels(Map<String, Object> labels) {
    if (labels.isEmpty()) {
      return NONE;
    }
    return labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  private static List<Object> cells(Object... values) {
    return java.util.Arrays.asList(values);
  }
}
