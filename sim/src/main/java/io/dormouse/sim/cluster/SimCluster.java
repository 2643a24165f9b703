package io.dormouse.sim.cluster;

import io.dormouse.sim.apiserver.CustomResourceAdmission;
import io.dormouse.sim.apiserver.SimApiServer;
import io.dormouse.sim.engine.EngineSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes cluster on one machine: the embedded API server and the controllers a real cluster
 * runs for Dormouse's objects (node pools, scheduler, deployments, kubelet, EndpointSlices, garbage
 * collection). Engine pods run as engine simulators on loopback addresses.
 */
public final class SimCluster implements AutoCloseable {

  /** How the cluster is made. */
  public static final class Settings {
    private final Map<String, NodePool> pools = new LinkedHashMap<>();
    private NodePool defaultPool = new NodePool(1, 8);
    private Duration crashBackoff = Duration.ofSeconds(1);
    private Duration preStopDelay = Duration.ofSeconds(10);
    private List<String> namespaces = List.of("default", "dormouse-system");
    private CustomResourceAdmission admission = CustomResourceAdmission.acceptAll();
    private boolean karpenter = true;
    private Duration provisioningDelay = Duration.ofSeconds(75);
    private Duration imagePull = Duration.ZERO;

    /**
     * Whether the cluster runs Karpenter (its NodePool and NodeClaim APIs, and a provisioner);
     * default yes. Without it, a tier's spec.nodePool reads KarpenterNotInstalled.
     */
    public Settings karpenter(boolean on) {
      karpenter = on;
      return this;
    }

    /** From a NodeClaim to its Node Ready; default 75 s, as a GPU instance boots. */
    public Settings provisioningDelay(Duration delay) {
      provisioningDelay = delay;
      return this;
    }

    /** How long a node pulls an engine image it does not have yet; default none. */
    public Settings imagePull(Duration pull) {
      imagePull = pull;
      return this;
    }

    private List<String> crds;

    /** The nodes of the GpuTier named {@code tier}. */
    public Settings pool(String tier, NodePool pool) {
      pools.put(tier, pool);
      return this;
    }

    /** The nodes of every GpuTier without a pool of its own; default one node of 8 GPUs. */
    public Settings defaultPool(NodePool pool) {
      defaultPool = pool;
      return this;
    }

    /** The first restart delay of a crashed engine (doubling, as CrashLoopBackOff). */
    public Settings crashBackoff(Duration backoff) {
      crashBackoff = backoff;
      return this;
    }

    /**
     * How long a container's pre-stop hook waits before draining; default 10 s, the sleep of the
     * operator's drain hook. Tests shorten it.
     */
    public Settings preStopDelay(Duration delay) {
      preStopDelay = delay;
      return this;
    }

    public Settings namespaces(List<String> names) {
      namespaces = List.copyOf(names);
      return this;
    }

    public Settings admission(CustomResourceAdmission a) {
      admission = a;
      return this;
    }

    /** The CRDs installed at start, each a YAML document; by default this build's. */
    public Settings crds(List<String> yamls) {
      crds = List.copyOf(yamls);
      return this;
    }
  }

  private final SimApiServer api;
  private final KubernetesClient client;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final NodeProvisioner nodes;
  private final Kubelet kubelet;
  private final KarpenterProvisioner karpenter;
  private final List<ControlLoop> loops = new ArrayList<>();
  private final GpuHoldings gpuHoldings;

  private SimCluster(Settings settings, Vertx vertx, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.api =
        settings.crds == null
            ? SimApiServer.start(
                settings.admission,
                settings.namespaces,
                settings.karpenter ? SimApiServer.KARPENTER_CRDS : List.of())
            : SimApiServer.startWithCrds(
                settings.admission,
                settings.namespaces,
                settings.crds,
                settings.karpenter ? SimApiServer.KARPENTER_CRDS : List.of());
    this.client = api.newClient();
    this.nodes = new NodeProvisioner(client, settings.pools, settings.defaultPool);
    this.kubelet =
        new Kubelet(
            client, vertx, settings.crashBackoff, settings.preStopDelay, settings.imagePull);
    this.karpenter =
        settings.karpenter ? new KarpenterProvisioner(client, settings.provisioningDelay) : null;
    // Watching before any loop runs, so that no binding happens unseen.
    this.gpuHoldings = new GpuHoldings(client, java.time.Clock.systemUTC());
    loops.add(nodes);
    if (karpenter != null) {
      loops.add(karpenter);
    }
    loops.add(new VolumeBinder(client));
    loops.add(new Scheduler(client));
    loops.add(new DeploymentController(client));
    loops.add(kubelet);
    loops.add(new EndpointSliceController(client));
    loops.add(new GarbageCollector(client));
    loops.forEach(ControlLoop::start);
    api.podLogs(kubelet);
  }

  /** Starts a cluster whose engines run on {@code vertx}. */
  public static SimCluster start(Settings settings, Vertx vertx) {
    return new SimCluster(settings, vertx, false);
  }

  /** Starts a cluster with a Vert.x of its own, closed with it. */
  public static SimCluster start(Settings settings) {
    return new SimCluster(settings, Vertx.vertx(), true);
  }

  public SimApiServer api() {
    return api;
  }

  /** The cluster's own client; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Path writeKubeconfig(Path file, String namespace) {
    return api.writeKubeconfig(file, namespace);
  }

  /** Resizes a tier's node pool at run time (e.g. spot capacity gone). */
  public void setPool(String tier, NodePool pool) {
    nodes.setPool(tier, pool);
  }

  /**
   * Karpenter's capacity for a NodePool: without it, launches fail with InsufficientCapacityError
   * (spot capacity gone).
   */
  public void karpenterCapacity(String nodePool, boolean available) {
    requireKarpenter().capacity(nodePool, available);
  }

  /**
   * A spot interruption of a node Karpenter launched: tainted karpenter.sh/disrupted, its pods
   * evicted, the node removed after {@code notice}.
   */
  public void interruptNode(String node, Duration notice) {
    requireKarpenter().interrupt(node, notice);
  }

  /**
   * The ground truth of every node Karpenter launched: ready and removal times, GPUs. What node
   * time the ledger records can be checked against it.
   */
  public List<NodeLifetime> nodeLifetimes() {
    return karpenter == null ? List.of() : karpenter.lifetimes();
  }

  private KarpenterProvisioner requireKarpenter() {
    if (karpenter == null) {
      throw new IllegalStateException("this sim cluster runs no Karpenter");
    }
    return karpenter;
  }

  /** When each pod bound to a node held its GPUs: the ground truth of GPU time. */
  public GpuHoldings gpuHoldings() {
    return gpuHoldings;
  }

  /** The engine simulator running a pod, or null. */
  public EngineSimulator engine(String namespace, String pod) {
    return kubelet.engine(namespace, pod);
  }

  @Override
  public void close() {
    for (int i = loops.size() - 1; i >= 0; i--) {
      loops.get(i).close();
    }
    gpuHoldings.close();
    client.close();
    api.close();
    if (ownsVertx) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        org.slf4j.LoggerFactory.getLogger(SimCluster.class)
            .warn("sim cluster at {}: Vert.x did not close: {}", api.url(), e.toString());
      }
    }
  }
}
