package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One EndpointSlice per Service with a selector, listing the selected pods that have an address,
 * each with Kubernetes' ready / serving / terminating conditions: a terminating pod is never ready,
 * but stays serving while its readiness holds.
 */
final class EndpointSliceController extends ControlLoop {

  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  static final String MANAGER = "endpointslice-controller.k8s.io";
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceController.class);

  private final KubernetesClient client;

  EndpointSliceController(KubernetesClient client) {
    super("endpointslices", Duration.ofSeconds(1));
    this.client = client;
  }

  @Override
  void start() {
    watch(client.pods().inAnyNamespace());
    watch(client.services().inAnyNamespace());
    super.start();
  }

  @Override
  protected void reconcile() {
    Map<String, List<Pod>> podsByNamespace = new HashMap<>();
    client
        .pods()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(
            p ->
                podsByNamespace
                    .computeIfAbsent(p.getMetadata().getNamespace(), k -> new ArrayList<>())
                    .add(p));
    Map<String, EndpointSlice> slices = new HashMap<>();
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inAnyNamespace()
        .withLabel(MANAGED_BY, MANAGER)
        .list()
        .getItems()
        .forEach(
            s -> slices.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s));
    for (Service service : client.services().inAnyNamespace().list().getItems()) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null
          || selector.isEmpty()
          || service.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      List<Pod> selected =
          podsByNamespace.getOrDefault(service.getMetadata().getNamespace(), List.of()).stream()
              .filter(
                  p ->
                      p.getMetadata().getLabels() != null
                          && p.getMetadata()
                              .getLabels()
                              .entrySet()
                              .containsAll(selector.entrySet()))
              .filter(p -> Pods.ip(p) != null && !Pods.finished(p))
              .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
              .toList();
      EndpointSlice desired = slice(service, selected);
      String key = service.getMetadata().getNamespace() + "/" + desired.getMetadata().getName();
      EndpointSlice current = slices.get(key);
      try {
        if (current == null) {
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inNamespace(service.getMetadata().getNamespace())
              .resource(desired)
              .create();
          LOG.info(
              "endpointslice {}: created with {} endpoints", key, desired.getEndpoints().size());
        } else if (!Objects.equals(current.getEndpoints(), desired.getEndpoints())
            || !Objects.equals(current.getPorts(), desired.getPorts())
            || !Objects.equals(
                current.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
          current.setEndpoints(desired.getEndpoints());
          current.setPorts(desired.getPorts());
          current.getMetadata().setLabels(desired.getMetadata().getLabels());
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inNamespace(service.getMetadata().getNamespace())
              .resource(current)
              .update();
          LOG.info("endpointslice {}: {}", key, describe(desired));
        }
      } catch (KubernetesClientException e) {
        LOG.debug("endpointslice {}: retrying: {}", key, e.getMessage());
      }
    }
  }

  private static String describe(EndpointSlice slice) {
    List<String> out = new ArrayList<>();
    for (Endpoint e : slice.getEndpoints()) {
      out.add(
          e.getAddresses().get(0)
              + (Boolean.TRUE.equals(e.getConditions().getReady()) ? " ready" : "")
              + (Boolean.TRUE.equals(e.getConditions().getTerminating()) ? " terminating" : ""));
    }
    return out.isEmpty() ? "no endpoints" : String.join(", ", out);
  }

  static String sliceName(Service service) {
    return service.getMetadata().getName() + "-sim";
  }

  private static EndpointSlice slice(Service service, List<Pod> pods) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Pod pod : pods) {
      boolean terminating = Pods.terminating(pod);
      boolean ready = Pods.ready(pod);
      endpoints.add(
          new EndpointBuilder()
              .withAddresses(Pods.ip(pod))
              .withNewConditions()
              .withReady(ready && !terminating)
              .withServing(ready)
              .withTerminating(terminating)
              .endConditions()
              .withNodeName(pod.getSpec().getNodeName())
              .withNewTargetRef()
              .withKind("Pod")
              .withName(pod.getMetadata().getName())
              .withNamespace(pod.getMetadata().getNamespace())
              .withUid(pod.getMetadata().getUid())
              .endTargetRef()
              .build());
    }
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePort sp : service.getSpec().getPorts()) {
      Integer port = targetPort(sp, pods);
      if (port != null) {
        ports.add(
            new EndpointPortBuilder()
                .withName(sp.getName() == null ? "" : sp.getName())
                .withPort(port)
                .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
                .build());
      }
    }
    // As Kubernetes' controller does, slices carry their Service's labels.
    Map<String, String> labels = new HashMap<>();
    if (service.getMetadata().getLabels() != null) {
      labels.putAll(service.getMetadata().getLabels());
    }
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(sliceName(service))
        .withNamespace(service.getMetadata().getNamespace())
        .withLabels(labels)
        .addToLabels(SERVICE_NAME, service.getMetadata().getName())
        .addToLabels(MANAGED_BY, MANAGER)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Service")
                .withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(endpoints)
        .withPorts(ports)
        .build();
  }

  private static Integer targetPort(ServicePort sp, List<Pod> pods) {
    IntOrString target = sp.getTargetPort();
    if (target == null) {
      return sp.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    for (Pod pod : pods) {
      for (var container : pod.getSpec().getContainers()) {
        for (ContainerPort cp :
            container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
          if (target.getStrVal().equals(cp.getName())) {
            return cp.getContainerPort();
          }
        }
      }
    }
    return null;
  }
}
