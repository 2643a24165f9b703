package io.dormouse.sim.apiserver;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server: an HTTP server on an ephemeral loopback port that answers as a
 * Kubernetes API server does ({@link SimDispatcher}), over the Fabric8 mock server's CRUD store,
 * with the Dormouse CRDs installed. It serves watches both as WebSockets (Fabric8 clients) and as
 * HTTP streams (kubectl), and reads JSON and protobuf bodies.
 */
public final class SimApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimApiServer.class);

  /** The CRDs the crds module generates, on the class path. */
  public static final List<String> DORMOUSE_CRDS =
      List.of(
          "META-INF/fabric8/gputiers.dormouse.io-v1.yml",
          "META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml",
          "META-INF/fabric8/webhooks.dormouse.io-v1.yml");

  /** Karpenter's karpenter.sh/v1 NodePool and NodeClaim CRDs, vendored by karpenter-api. */
  public static final List<String> KARPENTER_CRDS =
      List.of("karpenter/karpenter.sh_nodepools.yaml", "karpenter/karpenter.sh_nodeclaims.yaml");

  private final Vertx vertx;
  private final SimDispatcher dispatcher;
  private final HttpServer server;

  private SimApiServer(Vertx vertx, SimDispatcher dispatcher, HttpServer server) {
    this.vertx = vertx;
    this.dispatcher = dispatcher;
    this.server = server;
  }

  /** Starts the server with the Dormouse CRDs installed and the given namespaces created. */
  public static SimApiServer start(CustomResourceAdmission admission, List<String> namespaces) {
    return start(admission, namespaces, List.of());
  }

  /** Starts the server with the Dormouse CRDs and {@code moreCrds} (class path resources). */
  public static SimApiServer start(
      CustomResourceAdmission admission, List<String> namespaces, List<String> moreCrds) {
    return startInstalling(
        admission,
        namespaces,
        java.util.stream.Stream.concat(DORMOUSE_CRDS.stream(), moreCrds.stream())
            .map(SimApiServer::loadCrd)
            .toList());
  }

  /**
   * Starts the server with the given CRDs installed (e.g. a previous release's, each a YAML
   * document) besides {@code moreCrds} (class path resources), and the given namespaces created.
   */
  public static SimApiServer startWithCrds(
      CustomResourceAdmission admission,
      List<String> namespaces,
      List<String> crdYamls,
      List<String> moreCrds) {
    return startInstalling(
        admission,
        namespaces,
        java.util.stream.Stream.concat(
                crdYamls.stream()
                    .map(y -> Serialization.unmarshal(y, CustomResourceDefinition.class)),
                moreCrds.stream().map(SimApiServer::loadCrd))
            .toList());
  }

  private static SimApiServer startInstalling(
      CustomResourceAdmission admission,
      List<String> namespaces,
      List<CustomResourceDefinition> crds) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(8));
    SimDispatcher dispatcher = new SimDispatcher(admission);
    HttpServer server;
    try {
      server =
          vertx
              .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
              .requestHandler(new Front(vertx, dispatcher))
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the sim's API server cannot listen", e);
    }
    SimApiServer api = new SimApiServer(vertx, dispatcher, server);
    try (KubernetesClient client = api.newClient()) {
      for (CustomResourceDefinition crd : crds) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
      for (String ns : namespaces) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns)
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Active")
                    .endStatus()
                    .build())
            .create();
      }
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    LOG.info(
        "api server at {}: CRDs {} installed, namespaces {}",
        api.url(),
        crds.stream().map(c -> c.getMetadata().getName()).toList(),
        namespaces);
    return api;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Where {@code kubectl logs} finds what a pod's container wrote. */
  public void podLogs(PodLogs logs) {
    dispatcher.podLogs(logs);
  }

  /** A client of this server; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config("default")).build();
  }

  public Config config(String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace(namespace)
        .withRequestTimeout(30_000)
        .build();
  }

  /** Writes a kubeconfig for kubectl and for Fabric8 clients (KUBECONFIG). */
  public Path writeKubeconfig(Path file, String namespace) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: dormouse-sim",
            "  cluster:",
            "    server: " + url(),
            "contexts:",
            "- name: dormouse-sim",
            "  context:",
            "    cluster: dormouse-sim",
            "    user: dormouse-sim",
            "    namespace: " + namespace,
            "current-context: dormouse-sim",
            "users:",
            "- name: dormouse-sim",
            "  user: {}",
            "");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
    return file;
  }

  private static CustomResourceDefinition loadCrd(String resource) {
    try (InputStream in = SimApiServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the class path");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("api server at {}: did not close cleanly: {}", url(), e.toString());
    }
  }

  /** The HTTP side: reads each request, has the dispatcher answer it off the event loop. */
  private static final class Front implements io.vertx.core.Handler<HttpServerRequest> {

    private final Vertx vertx;
    private final SimDispatcher dispatcher;

    Front(Vertx vertx, SimDispatcher dispatcher) {
      this.vertx = vertx;
      this.dispatcher = dispatcher;
    }

    @Override
    public void handle(HttpServerRequest request) {
      boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
      if (upgrade) {
        request.pause();
        answer(request, new byte[0], true);
        return;
      }
      request
          .body()
          .onSuccess(body -> answer(request, body.getBytes(), false))
          .onFailure(e -> request.response().setStatusCode(400).end());
    }

    private void answer(HttpServerRequest request, byte[] body, boolean upgrade) {
      ApiCall call =
          new ApiCall(
              request.method().name(),
              request.uri(),
              request.getHeader("Accept"),
              request.getHeader("Content-Type"),
              body);
      vertx
          .<Reply>executeBlocking(() -> dispatcher.dispatch(call), false)
          .onSuccess(reply -> send(request, call, reply, upgrade))
          .onFailure(
              e -> {
                LOG.warn("api server: {} {} failed", call.method(), call.uri(), e);
                send(
                    request,
                    call,
                    Reply.Whole.json(
                        500, ApiStatus.status(500, "InternalError", e.toString(), null)),
                    upgrade);
              });
    }

    private void send(HttpServerRequest request, ApiCall call, Reply reply, boolean upgrade) {
      if (reply instanceof Reply.Watch watch) {
        watch(request, call, watch, upgrade);
      } else if (reply instanceof Reply.FollowLog follow) {
        followLog(request, follow);
      } else if (reply instanceof Reply.Whole whole) {
        if (upgrade) {
          request.resume();
        }
        HttpServerResponse response = request.response().setStatusCode(whole.code());
        response.putHeader("Content-Type", whole.contentType());
        response.end(io.vertx.core.buffer.Buffer.buffer(whole.body()));
      }
    }

    /** Opens the store's watch and feeds it to the client, as WebSocket frames or HTTP lines. */
    private void watch(
        HttpServerRequest request, ApiCall call, Reply.Watch watch, boolean upgrade) {
      MockResponse opened = dispatcher.store().handleWatch(watch.storeUri());
      WebSocketListener listener = opened.getWebSocketListener();
      RecordedRequest recorded =
          new RecordedRequest(
              "HTTP/1.1",
              HttpMethod.GET,
              watch.storeUri(),
              Headers.builder().build(),
              new Buffer());
      if (upgrade) {
        request
            .toWebSocket()
            .onSuccess(ws -> streamTo(ws, recorded, listener, opened, watch))
            .onFailure(e -> listener.onClosed(null, 1011, e.getMessage()));
        return;
      }
      HttpServerResponse response = request.response();
      response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
      response.write("");
      WatchStream stream =
          new WatchStream(
              recorded,
              watch.shape(),
              new WatchStream.Sink() {
                @Override
                public void send(String event) {
                  if (!response.ended() && !response.closed()) {
                    response.write(event + "\n");
                  }
                }

                @Override
                public void close() {
                  if (!response.ended() && !response.closed()) {
                    response.end();
                  }
                }
              });
      Runnable stop = () -> stop(listener, stream);
      response.closeHandler(v -> stop.run());
      if (watch.timeoutSeconds() > 0) {
        vertx.setTimer(TimeUnit.SECONDS.toMillis(watch.timeoutSeconds()), t -> stop.run());
      }
      listener.onOpen(stream, opened);
    }

    private void streamTo(
        ServerWebSocket ws,
        RecordedRequest recorded,
        WebSocketListener listener,
        MockResponse opened,
        Reply.Watch watch) {
      WatchStream stream =
          new WatchStream(
              recorded,
              watch.shape(),
              new WatchStream.Sink() {
                @Override
                public void send(String event) {
                  if (!ws.isClosed()) {
                    ws.writeTextMessage(event);
                  }
                }

                @Override
                public void close() {
                  if (!ws.isClosed()) {
                    ws.close();
                  }
                }
              });
      ws.closeHandler(v -> stop(listener, stream));
      if (watch.timeoutSeconds() > 0) {
        vertx.setTimer(
            TimeUnit.SECONDS.toMillis(watch.timeoutSeconds()), t -> stop(listener, stream));
      }
      listener.onOpen(stream, opened);
    }

    /** Ends a watch: the store forgets the listener (which waits for its sender: off the loop). */
    private void stop(WebSocketListener listener, WatchStream stream) {
      stream.close(1000, "closed");
      vertx.executeBlocking(
          () -> {
            listener.onClosed(stream, 1000, "closed");
            return null;
          },
          false);
    }

    private void followLog(HttpServerRequest request, Reply.FollowLog follow) {
      HttpServerResponse response = request.response();
      response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "text/plain");
      follow
          .log()
          .lines()
          .forEach(l -> response.write(SimDispatcher.logLine(l, follow.timestamps())));
      AutoCloseable handle =
          follow
              .log()
              .follow(
                  line -> {
                    if (!response.ended() && !response.closed()) {
                      response.write(SimDispatcher.logLine(line, follow.timestamps()));
                    }
                  },
                  () -> {
                    if (!response.ended() && !response.closed()) {
                      response.end();
                    }
                  });
      response.closeHandler(
          v -> {
            try {
              handle.close();
            } catch (Exception e) {
              LOG.debug("api server: closing a log follower: {}", e.toString());
            }
          });
    }
  }
}
