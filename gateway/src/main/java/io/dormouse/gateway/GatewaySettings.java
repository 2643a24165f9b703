package io.dormouse.gateway;

import io.dormouse.gateway.stages.account.UsageSink;
import io.dormouse.ledger.LedgerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How to run a gateway. Build with {@link #builder()}; every value has a production default.
 *
 * @param client a ready Kubernetes client to use (tests, sim); null builds one from {@code
 *     kubeconfig} or the usual auto-configuration. A given client is not closed by the gateway.
 * @param ledger where usage rows go (a PostgreSQL ledger with its spool), or null: no ledger
 */
public record GatewaySettings(
    String namespace,
    String service,
    String host,
    int port,
    int managementPort,
    String podName,
    Path kubeconfig,
    KubernetesClient client,
    Clock clock,
    long maxBodyBytes,
    Duration bodyTimeout,
    Duration heartbeatAfter,
    Duration heartbeatEvery,
    Duration leaseRenewEvery,
    Duration upstreamIdleTimeout,
    Duration connectionIdleTimeout,
    Duration watchStartTimeout,
    Duration shutdownGrace,
    int eventLoops,
    String peerSecret,
    Duration peerPeriod,
    Duration peerTimeout,
    long lingerBytes,
    Duration lingerTime,
    UsageSink usageSink,
    LedgerSettings ledger,
    boolean nativeTransport,
    boolean requireDeclaredProjects) {

  /** The event loops to run: the setting, or one per available processor. */
  public int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.namespace = namespace;
    b.service = service;
    b.host = host;
    b.port = port;
    b.managementPort = managementPort;
    b.podName = podName;
    b.kubeconfig = kubeconfig;
    b.client = client;
    b.clock = clock;
    b.maxBodyBytes = maxBodyBytes;
    b.bodyTimeout = bodyTimeout;
    b.heartbeatAfter = heartbeatAfter;
    b.heartbeatEvery = heartbeatEvery;
    b.leaseRenewEvery = leaseRenewEvery;
    b.upstreamIdleTimeout = upstreamIdleTimeout;
    b.connectionIdleTimeout = connectionIdleTimeout;
    b.watchStartTimeout = watchStartTimeout;
    b.shutdownGrace = shutdownGrace;
    b.eventLoops = eventLoops;
    b.peerSecret = peerSecret;
    b.peerPeriod = peerPeriod;
    b.peerTimeout = peerTimeout;
    b.lingerBytes = lingerBytes;
    b.lingerTime = lingerTime;
    b.usageSink = usageSink;
    b.ledger = ledger;
    b.nativeTransport = nativeTransport;
    b.requireDeclaredProjects = requireDeclaredProjects;
    return b;
  }

  /** Defaults: the production values. Ports 0 pick free ports. */
  public static final class Builder {
    private String namespace = "dormouse-system";
    private String service = "dormouse-gateway";
    private String host = "0.0.0.0";
    private int port = 8080;
    private int managementPort = 9090;
    private String podName = "dormouse-gateway";
    private Path kubeconfig;
    private KubernetesClient client;
    private Clock clock = Clock.systemUTC();
    private long maxBodyBytes = 8L * 1024 * 1024;
    private Duration bodyTimeout = Duration.ofSeconds(30);
    private Duration heartbeatAfter = Duration.ofSeconds(5);
    private Duration heartbeatEvery = Duration.ofSeconds(10);
    private Duration leaseRenewEvery = Duration.ofSeconds(5);
    private Duration upstreamIdleTimeout = Duration.ofMinutes(10);
    private Duration connectionIdleTimeout = Duration.ofSeconds(60);
    private Duration watchStartTimeout = Duration.ofSeconds(60);
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private int eventLoops = 0;
    private String peerSecret = null;
    private Duration peerPeriod = Duration.ofMillis(200);
    private Duration peerTimeout = Duration.ofSeconds(1);
    private long lingerBytes = 128L * 1024 * 1024;
    private Duration lingerTime = Duration.ofSeconds(30);
    private UsageSink usageSink = UsageSink.NONE;
    private LedgerSettings ledger;
    private boolean nativeTransport = false;
    private boolean requireDeclaredProjects;

    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    public Builder service(String v) {
      service = v;
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder managementPort(int v) {
      managementPort = v;
      return this;
    }

    public Builder podName(String v) {
      podName = v;
      return this;
    }

    public Builder kubeconfig(Path v) {
      kubeconfig = v;
      return this;
    }

    public Builder client(KubernetesClient v) {
      client = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder maxBodyBytes(long v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder bodyTimeout(Duration v) {
      bodyTimeout = v;
      return this;
    }

    public Builder heartbeatAfter(Duration v) {
      heartbeatAfter = v;
      return this;
    }

    public Builder heartbeatEvery(Duration v) {
      heartbeatEvery = v;
      return this;
    }

    public Builder leaseRenewEvery(Duration v) {
      leaseRenewEvery = v;
      return this;
    }

    public Builder upstreamIdleTimeout(Duration v) {
      upstreamIdleTimeout = v;
      return this;
    }

    /** How long a client connection may carry no request before it is closed. */
    public Builder connectionIdleTimeout(Duration v) {
      connectionIdleTimeout = v;
      return this;
    }

    /** How long start-up waits for the watches' first lists before it fails. */
    public Builder watchStartTimeout(Duration v) {
      watchStartTimeout = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    /** Event loops serving the API; 0: one per available processor. */
    public Builder eventLoops(int v) {
      eventLoops = v;
      return this;
    }

    /** The secret peers present on the peer exchange; null or blank turns the exchange off. */
    public Builder peerSecret(String v) {
      peerSecret = v;
      return this;
    }

    /** How often replicas exchange their demand. */
    public Builder peerPeriod(Duration v) {
      peerPeriod = v;
      return this;
    }

    /** A peer not heard from for this long no longer counts. */
    public Builder peerTimeout(Duration v) {
      peerTimeout = v;
      return this;
    }

    /** How much of an unread request body is read and discarded before closing after a refusal. */
    public Builder lingerBytes(long v) {
      lingerBytes = v;
      return this;
    }

    /** How long a refused request's body may take to be discarded before the connection closes. */
    public Builder lingerTime(Duration v) {
      lingerTime = v;
      return this;
    }

    /** Where each finished request's record goes besides the log and metrics (a usage ledger). */
    public Builder usageSink(UsageSink v) {
      usageSink = v;
      return this;
    }

    /** The usage ledger to write one row per admitted request to; null (the default): none. */
    public Builder ledger(LedgerSettings v) {
      ledger = v;
      return this;
    }

    /**
     * Netty's epoll transport where it loads (Linux), else NIO. Off by default: it could not yet be
     * measured on a quiet machine (docs/benchmarks.md).
     */
    public Builder nativeTransport(boolean v) {
      nativeTransport = v;
      return this;
    }

    /**
     * Whether a namespace must declare its projects (annotation {@code
     * dormouse.io/allowed-projects}) for its endpoints to serve any.
     */
    public Builder requireDeclaredProjects(boolean v) {
      requireDeclaredProjects = v;
      return this;
    }

    public GatewaySettings build() {
      return new GatewaySettings(
          namespace,
          service,
          host,
          port,
          managementPort,
          podName,
          kubeconfig,
          client,
          clock,
          maxBodyBytes,
          bodyTimeout,
          heartbeatAfter,
          heartbeatEvery,
          leaseRenewEvery,
          upstreamIdleTimeout,
          connectionIdleTimeout,
          watchStartTimeout,
          shutdownGrace,
          eventLoops,
          peerSecret,
          peerPeriod,
          peerTimeout,
          lingerBytes,
          lingerTime,
          usageSink,
          ledger,
          nativeTransport,
          requireDeclaredProjects);
    }
  }
}
