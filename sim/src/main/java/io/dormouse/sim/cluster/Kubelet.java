package io.dormouse.sim.cluster;

import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.sim.apiserver.PodLogs;
import io.dormouse.sim.engine.EngineConfig;
import io.dormouse.sim.engine.EngineLog;
import io.dormouse.sim.engine.EngineSimulator;
import io.dormouse.sim.engine.VllmArgs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in kubelet of every simulated node: runs each scheduled engine pod as an engine
 * simulator on the pod's own loopback address, probes its /health and reports readiness through the
 * pod's conditions, restarts a crashed engine with a back-off (CrashLoopBackOff), fails an image it
 * cannot pull, and on deletion lets the engine drain for the pod's grace period before it releases
 * the pod. Pods that are not engines run as a no-op container.
 */
final class Kubelet extends ControlLoop implements PodLogs {

  /** An image whose name contains this cannot be pulled: ErrImagePull, as a typo'd tag. */
  static final String UNPULLABLE = "does-not-exist";

  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  private final KubernetesClient client;
  private final Vertx vertx;
  private final PodAddresses addresses = new PodAddresses();
  private final Duration crashBackoff;
  private final Duration preStopDelay;
  private final Duration imagePull;

  /** node/image pairs already pulled: a node pulls an image once. */
  private final Set<String> images = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Map<String, Sandbox> containers = new java.util.concurrent.ConcurrentHashMap<>();
  private final EventRecorder events;

  /** What the kubelet runs for one pod: its address and engine, across restarts. */
  private static final class Sandbox {
    final String ip;
    EngineSimulator engine;
    EngineLog previousLog;
    int restarts;
    Instant backoffUntil;
    String lastTermination;
    String lastTerminationMessage;
    Instant pullUntil;
    boolean pulled;
    boolean stopping;
    boolean stopped;

    Sandbox(String ip) {
      this.ip = ip;
    }
  }

  /**
   * @param preStopDelay how long a pre-stop hook waits before it drains (the operator's hook sleeps
   *     10 s, for gateways to drop the address)
   */
  Kubelet(
      KubernetesClient client,
      Vertx vertx,
      Duration crashBackoff,
      Duration preStopDelay,
      Duration imagePull) {
    super("kubelet", Duration.ofMillis(500));
    this.client = client;
    this.vertx = vertx;
    this.crashBackoff = crashBackoff;
    this.preStopDelay = preStopDelay;
    this.imagePull = imagePull;
    this.events = new EventRecorder(client, "kubelet");
  }

  @Override
  void start() {
    watch(client.pods().inAnyNamespace());
    super.start();
  }

  /** The engine running for a pod, for tests that play faults on it. */
  EngineSimulator engine(String namespace, String pod) {
    Pod p = client.pods().inNamespace(namespace).withName(pod).get();
    Sandbox c = p == null ? null : containers.get(p.getMetadata().getUid());
    return c == null ? null : c.engine;
  }

  @Override
  protected void reconcile() {
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    Set<String> seen = new HashSet<>();
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (!Pods.scheduled(pod)) {
        // Never bound, so nothing ran: like the API server, let a deleted one go at once.
        if (Pods.terminating(pod)) {
          try {
            releaseFinalizer(pod);
          } catch (KubernetesClientException e) {
            LOG.debug("pod {}: retrying: {}", key(pod), e.getMessage());
          }
        }
        continue;
      }
      seen.add(pod.getMetadata().getUid());
      try {
        sync(pod, nodes.contains(pod.getSpec().getNodeName()));
      } catch (KubernetesClientException e) {
        LOG.debug("pod {}: retrying: {}", key(pod), e.getMessage());
      }
    }
    // Pods removed without our finalizer (force-deleted): their engines stop too.
    for (String uid : new ArrayList<>(containers.keySet())) {
      if (!seen.contains(uid)) {
        Sandbox c = containers.remove(uid);
        if (c.engine != null) {
          c.engine.close();
        }
      }
    }
  }

  private void sync(Pod pod, boolean nodeExists) {
    String uid = pod.getMetadata().getUid();
    Sandbox c = containers.get(uid);
    if (Pods.terminating(pod) || !nodeExists) {
      terminate(pod, c, nodeExists);
      return;
    }
    if (Pods.finished(pod)) {
      return;
    }
    if (c == null) {
      c = new Sandbox(addresses.next());
      containers.put(uid, c);
    }
    Container spec = pod.getSpec().getContainers().get(0);
    if (spec.getImage() != null && spec.getImage().contains(UNPULLABLE)) {
      writeStatus(
          pod,
          c,
          waiting(
              spec,
              c,
              "ErrImagePull",
              "failed to pull and unpack image \"" + spec.getImage() + "\": not found"),
          false);
      return;
    }
    String attach = multiAttach(pod);
    if (attach != null) {
      if (!waitingFor(pod, "ContainerCreating", attach)) {
        events.warning(pod, "FailedAttachVolume", attach);
        LOG.info("pod {}: ContainerCreating: {}", key(pod), attach);
      }
      writeStatus(pod, c, waiting(spec, c, "ContainerCreating", attach), false);
      return;
    }
    if (!pulled(pod, c, spec)) {
      writeStatus(pod, c, waiting(spec, c, "ContainerCreating", null), false);
      return;
    }
    ContainerEnv.Resolved env =
        ContainerEnv.resolve(client, pod.getMetadata().getNamespace(), spec);
    if (env.error() != null) {
      if (!waitingFor(pod, "CreateContainerConfigError", env.error())) {
        events.warning(pod, "Failed", "Error: " + env.error());
        LOG.info("pod {}: CreateContainerConfigError: {}", key(pod), env.error());
      }
      writeStatus(pod, c, waiting(spec, c, "CreateContainerConfigError", env.error()), false);
      return;
    }
    if (!isEngine(pod)) {
      writeStatus(pod, c, running(spec, c), true);
      return;
    }
    if (c.engine != null && isDead(c.engine.state())) {
      c.lastTermination = "Error";
      c.lastTerminationMessage =
          "FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy())
              ? tail(c.engine.logLines())
              : null;
      c.previousLog = c.engine.log();
      c.engine.close();
      c.engine = null;
      c.restarts++;
      long factor = 1L << Math.min(5, c.restarts - 1);
      c.backoffUntil = Instant.now().plus(crashBackoff.multipliedBy(factor));
      LOG.warn("pod {}: engine exited; restart {} after back-off", key(pod), c.restarts);
      after(crashBackoff.multipliedBy(factor), this::poke);
    }
    if (c.engine == null) {
      if (c.backoffUntil != null && Instant.now().isBefore(c.backoffUntil)) {
        writeStatus(
            pod,
            c,
            waiting(
                spec,
                c,
                "CrashLoopBackOff",
                "back-off restarting failed container " + spec.getName()),
            false);
        return;
      }
      if (!startEngine(pod, c, spec, env.values())) {
        return;
      }
    }
    boolean ready = c.engine.state() == EngineSimulator.State.READY && healthy(c.engine);
    writeStatus(pod, c, running(spec, c), ready);
  }

  private boolean startEngine(Pod pod, Sandbox c, Container spec, Map<String, String> env) {
    List<String> args = new ArrayList<>();
    if (spec.getCommand() != null) {
      args.addAll(spec.getCommand());
    }
    if (spec.getArgs() != null) {
      args.addAll(spec.getArgs());
    }
    EngineConfig config;
    try {
      config =
          VllmArgs.apply(EngineConfig.builder().name(key(pod)).port(Wiring.ENGINE_PORT), args, env)
              .host(c.ip)
              .build();
    } catch (RuntimeException e) {
      LOG.warn("pod {}: engine arguments refused: {}", key(pod), e.getMessage());
      c.engine = null;
      c.restarts++;
      c.backoffUntil = Instant.now().plus(crashBackoff);
      after(crashBackoff, this::poke);
      return false;
    }
    try {
      c.engine =
          EngineSimulator.start(vertx, config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("pod {}: engine cannot listen on {}: {}", key(pod), c.ip, e.getMessage());
      return false;
    }
    c.engine.onStateChange(s -> poke());
    LOG.info("pod {}: engine started at {}:{}", key(pod), c.ip, c.engine.port());
    return true;
  }

  /**
   * The kubelet's termination message from the log: its last 80 lines, at most 2048 bytes, as with
   * terminationMessagePolicy FallbackToLogsOnError.
   */
  static String tail(List<String> lines) {
    List<String> last = lines.subList(Math.max(0, lines.size() - 80), lines.size());
    String text = String.join("\n", last);
    return text.length() <= 2048 ? text : text.substring(text.length() - 2048);
  }

  /**
   * Pulls the image once per node: Pulling, then Pulled after the pull time ("already present" when
   * the node has it). True once the image is there.
   */
  private boolean pulled(Pod pod, Sandbox c, Container spec) {
    if (c.pulled) {
      return true;
    }
    String key = pod.getSpec().getNodeName() + "/" + spec.getImage();
    Instant now = Instant.now();
    if (c.pullUntil == null) {
      if (imagePull.isZero() || images.contains(key)) {
        events.normal(
            pod,
            "Pulled",
            "Container image \"" + spec.getImage() + "\" already present on machine");
        c.pulled = true;
        return true;
      }
      events.normal(pod, "Pulling", "Pulling image \"" + spec.getImage() + "\"");
      c.pullUntil = now.plus(imagePull);
      after(imagePull, this::poke);
      return false;
    }
    if (now.isBefore(c.pullUntil)) {
      return false;
    }
    images.add(key);
    events.normal(
        pod,
        "Pulled",
        "Successfully pulled image \""
            + spec.getImage()
            + "\" in "
            + imagePull.toMillis() / 1000.0
            + "s");
    c.pulled = true;
    return true;
  }

  /**
   * A ReadWriteOnce claim the pod mounts that a pod on another node already uses: the volume cannot
   * attach here, and the container stays ContainerCreating (as a real attach/detach controller
   * reports it).
   */
  private String multiAttach(Pod pod) {
    if (pod.getSpec().getVolumes() == null) {
      return null;
    }
    String ns = pod.getMetadata().getNamespace();
    for (var v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() == null) {
        continue;
      }
      String claim = v.getPersistentVolumeClaim().getClaimName();
      var pvc = client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
      if (pvc == null
          || pvc.getSpec().getAccessModes() == null
          || !pvc.getSpec().getAccessModes().equals(List.of("ReadWriteOnce"))) {
        continue;
      }
      List<String> users =
          client.pods().inNamespace(ns).list().getItems().stream()
              .filter(p -> !p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
              .filter(p -> Pods.scheduled(p) && !Pods.finished(p))
              .filter(p -> !pod.getSpec().getNodeName().equals(p.getSpec().getNodeName()))
              .filter(
                  p ->
                      p.getSpec().getVolumes() != null
                          && p.getSpec().getVolumes().stream()
                              .anyMatch(
                                  u ->
                                      u.getPersistentVolumeClaim() != null
                                          && claim.equals(
                                              u.getPersistentVolumeClaim().getClaimName())))
              .map(p -> p.getMetadata().getName())
              .toList();
      if (!users.isEmpty()) {
        return "Multi-Attach error for volume \""
            + claim
            + "\" Volume is already used by pod(s) "
            + String.join(", ", users);
      }
    }
    return null;
  }

  /** Whether the pod's container already waits for {@code reason}, with {@code message}. */
  private static boolean waitingFor(Pod pod, String reason, String message) {
    return pod.getStatus() != null
        && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(
                s ->
                    s.getState() != null
                        && s.getState().getWaiting() != null
                        && reason.equals(s.getState().getWaiting().getReason())
                        && message.equals(s.getState().getWaiting().getMessage()));
  }

  /**
   * What the pod's container wrote: the engine's own log (vLLM's lines), an empty one for a
   * container that runs no engine, none for a container that never started.
   */
  @Override
  public Optional<PodLogs.Log> log(String namespace, String pod, boolean previous) {
    Pod p = client.pods().inNamespace(namespace).withName(pod).get();
    Sandbox c = p == null ? null : containers.get(p.getMetadata().getUid());
    if (c == null) {
      return Optional.empty();
    }
    if (previous) {
      return Optional.ofNullable(c.previousLog).map(l -> logOf(l, null));
    }
    if (c.engine != null) {
      return Optional.of(logOf(c.engine.log(), c.engine));
    }
    boolean running =
        p.getStatus() != null
            && p.getStatus().getContainerStatuses() != null
            && p.getStatus().getContainerStatuses().stream()
                .anyMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    return running && !isEngine(p) ? Optional.of(EMPTY_LOG) : Optional.empty();
  }

  private static final PodLogs.Log EMPTY_LOG =
      new PodLogs.Log() {
        @Override
        public List<PodLogs.Line> lines() {
          return List.of();
        }

        @Override
        public AutoCloseable follow(
            java.util.function.Consumer<PodLogs.Line> onLine, Runnable onEnd) {
          return () -> {};
        }
      };

  private static PodLogs.Log logOf(EngineLog log, EngineSimulator engine) {
    return new PodLogs.Log() {
      @Override
      public List<PodLogs.Line> lines() {
        return log.lines().stream().map(l -> new PodLogs.Line(l.at(), l.text())).toList();
      }

      @Override
      public AutoCloseable follow(
          java.util.function.Consumer<PodLogs.Line> onLine, Runnable onEnd) {
        AutoCloseable handle = log.follow(l -> onLine.accept(new PodLogs.Line(l.at(), l.text())));
        if (engine == null) {
          onEnd.run();
        } else {
          engine.stopped().onComplete(v -> onEnd.run());
        }
        return handle;
      }
    };
  }

  private boolean healthy(EngineSimulator engine) {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void terminate(Pod pod, Sandbox c, boolean nodeExists) {
    if (c != null && c.engine != null && !c.stopping) {
      c.stopping = true;
      Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
      Duration period = nodeExists ? Duration.ofSeconds(grace == null ? 30 : grace) : Duration.ZERO;
      Instant deadline = Instant.now().plus(period);
      boolean preStop = nodeExists && hasPreStop(pod);
      LOG.info(
          "pod {}: terminating (grace {}s{})",
          key(pod),
          period.toSeconds(),
          preStop ? ", pre-stop drain first" : "");
      if (preStop) {
        after(preStopDelay, () -> drainThenStop(key(pod), c, deadline));
      } else {
        stopEngine(c);
      }
      return;
    }
    if (c != null && c.engine != null && !c.stopped) {
      return; // draining
    }
    containers.remove(pod.getMetadata().getUid());
    if (!nodeExists && !Pods.terminating(pod)) {
      LOG.info("pod {}: node {} is gone, deleting the pod", key(pod), pod.getSpec().getNodeName());
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
      return;
    }
    releaseFinalizer(pod);
  }

  private void releaseFinalizer(Pod pod) {
    List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
    if (finalizers.remove(Pods.KUBELET_FINALIZER)) {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("metadata", Map.of("finalizers", finalizers))));
      LOG.info("pod {}: terminated", key(pod));
    }
  }

  /**
   * The operator's pre-stop hook, played: after its opening wait, until the engine runs no request
   * (or the grace period ends); then SIGTERM, on which vLLM stops at once.
   */
  private void drainThenStop(String pod, Sandbox c, Instant deadline) {
    if (c.engine.inFlight() == 0 || !Instant.now().isBefore(deadline)) {
      LOG.info(
          "pod {}: pre-stop done ({} requests in flight), stopping the engine",
          pod,
          c.engine.inFlight());
      stopEngine(c);
    } else {
      after(Duration.ofMillis(500), () -> drainThenStop(pod, c, deadline));
    }
  }

  private void stopEngine(Sandbox c) {
    c.engine
        .close()
        .onComplete(
            v -> {
              c.stopped = true;
              poke();
            });
  }

  private static boolean hasPreStop(Pod pod) {
    Container spec = pod.getSpec().getContainers().get(0);
    return spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null;
  }

  private ContainerStatus running(Container spec, Sandbox c) {
    return base(spec, c)
        .withStarted(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt(Pods.now())
        .endRunning()
        .endState()
        .build();
  }

  private ContainerStatus waiting(Container spec, Sandbox c, String reason, String message) {
    return base(spec, c)
        .withStarted(false)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  private ContainerStatusBuilder base(Container spec, Sandbox c) {
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(spec.getName())
            .withImage(spec.getImage())
            .withImageID("sim://" + spec.getImage())
            .withRestartCount(c.restarts)
            .withReady(false);
    if (c.lastTermination != null) {
      b.withNewLastState()
          .withNewTerminated()
          .withExitCode(1)
          .withReason(c.lastTermination)
          .withMessage(c.lastTerminationMessage)
          .endTerminated()
          .endLastState();
    }
    return b;
  }

  private void writeStatus(Pod pod, Sandbox c, ContainerStatus container, boolean ready) {
    container.setReady(ready);
    List<PodCondition> conditions =
        pod.getStatus() == null ? null : pod.getStatus().getConditions();
    conditions =
        Pods.withCondition(conditions, Pods.newCondition("PodScheduled", true, null, null));
    conditions = Pods.withCondition(conditions, Pods.newCondition("Initialized", true, null, null));
    String why = ready ? null : "ContainersNotReady";
    String msg = ready ? null : "containers with unready status: [" + container.getName() + "]";
    conditions =
        Pods.withCondition(conditions, Pods.newCondition("ContainersReady", ready, why, msg));
    conditions = Pods.withCondition(conditions, Pods.newCondition("Ready", ready, why, msg));
    boolean running = container.getState().getRunning() != null;
    String phase = running || c.restarts > 0 ? "Running" : "Pending";
    var previous = pod.getStatus();
    ContainerStatus before =
        previous == null
                || previous.getContainerStatuses() == null
                || previous.getContainerStatuses().isEmpty()
            ? null
            : previous.getContainerStatuses().get(0);
    if (previous != null
        && phase.equals(previous.getPhase())
        && c.ip.equals(previous.getPodIP())
        && Objects.equals(summary(previous.getConditions()), summary(conditions))
        && before != null
        && sameContainer(before, container)) {
      return;
    }
    if (before != null
        && before.getState() != null
        && before.getState().getRunning() != null
        && running) {
      container.getState().getRunning().setStartedAt(before.getState().getRunning().getStartedAt());
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase);
    status.put("podIP", c.ip);
    status.put("podIPs", List.of(Map.of("ip", c.ip)));
    status.put("hostIP", "127.0.0.1");
    status.put(
        "startTime",
        previous != null && previous.getStartTime() != null ? previous.getStartTime() : Pods.now());
    status.put("conditions", conditions);
    status.put("containerStatuses", List.of(container));
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    if (ready && !Pods.ready(pod)) {
      LOG.info("pod {}: ready at {}", key(pod), c.ip);
    }
  }

  private static boolean sameContainer(ContainerStatus a, ContainerStatus b) {
    return Objects.equals(a.getReady(), b.getReady())
        && Objects.equals(a.getRestartCount(), b.getRestartCount())
        && Objects.equals(stateName(a), stateName(b));
  }

  private static String stateName(ContainerStatus s) {
    if (s.getState() == null) {
      return null;
    }
    if (s.getState().getRunning() != null) {
      return "running";
    }
    if (s.getState().getWaiting() != null) {
      return "waiting:"
          + s.getState().getWaiting().getReason()
          + ":"
          + s.getState().getWaiting().getMessage();
    }
    return "terminated";
  }

  private static List<String> summary(List<PodCondition> conditions) {
    List<String> out = new ArrayList<>();
    if (conditions != null) {
      conditions.forEach(c -> out.add(c.getType() + "=" + c.getStatus() + ":" + c.getReason()));
    }
    return out;
  }

  private static boolean isDead(EngineSimulator.State state) {
    return state == EngineSimulator.State.CRASHED
        || state == EngineSimulator.State.FAILED
        || state == EngineSimulator.State.STOPPED;
  }

  private static boolean isEngine(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && Wiring.ROLE_ENGINE.equals(labels.get(Wiring.LABEL_ROLE));
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  protected void stop() {
    List<io.vertx.core.Future<Void>> stops = new ArrayList<>();
    containers
        .values()
        .forEach(
            c -> {
              if (c.engine != null) {
                stops.add(c.engine.close());
              }
            });
    containers.clear();
    try {
      io.vertx.core.Future.join(stops)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("kubelet: engines did not all stop: {}", e.toString());
    }
  }
}
