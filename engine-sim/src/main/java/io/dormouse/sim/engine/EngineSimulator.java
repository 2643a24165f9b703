package io.dormouse.sim.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated vLLM engine: an OpenAI-compatible HTTP server on a Vert.x event loop. Several run
 * side by side in one JVM on a shared {@link Vertx}; each keeps to its own context, so its state
 * needs no locks.
 */
public final class EngineSimulator {

  /** The vLLM line that reports a model that does not fit the GPU. */
  public static final String OOM_LOG_LINE =
      "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total"
          + " capacity of 79.15 GiB of which 1.06 GiB is free.";

  private static final Logger LOG = LoggerFactory.getLogger(EngineSimulator.class);
  private static final int EMBEDDING_DIMENSIONS = 16;

  /** Where the engine is in its life. */
  public enum State {
    /** Loading the model: /health answers 503. */
    LOADING,
    READY,
    /** The model failed to load (out of memory); /health never becomes ready. */
    FAILED,
    /** Died abruptly; it no longer listens. */
    CRASHED,
    /** Draining in-flight requests before it stops. */
    STOPPING,
    STOPPED
  }

  private final Vertx vertx;
  private final Context context;
  private final EngineConfig config;
  private final Clock clock;
  private final SequenceSlots slots;
  private final EngineMetrics metrics;
  private final Set<HttpConnection> connections = new HashSet<>();
  private final Set<Sequence> sequences = new HashSet<>();
  private final EngineLog log;
  private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ReceivedRequest>> requestListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong abandoned = new AtomicLong();
  private final Promise<Void> stopped = Promise.promise();
  private volatile State state = State.LOADING;
  private volatile int inFlight;
  private volatile int peakInFlight;
  private HttpServer server;
  private long loadTimer = -1;

  private EngineSimulator(Vertx vertx, Context context, EngineConfig config, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.clock = clock;
    this.slots = new SequenceSlots(config.maxNumSeqs());
    this.metrics = new EngineMetrics(config.modelNames().get(0), slots::running, slots::waiting);
    this.log = new EngineLog(clock);
  }

  /**
   * Listens on the config's host and port (0 = any free port) and starts loading the model; the
   * future completes once it listens, not once it is ready.
   */
  public static Future<EngineSimulator> start(Vertx vertx, EngineConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  public static Future<EngineSimulator> start(Vertx vertx, EngineConfig config, Clock clock) {
    Context context = vertx.getOrCreateContext();
    EngineSimulator engine = new EngineSimulator(vertx, context, config, clock);
    Promise<EngineSimulator> started = Promise.promise();
    context.runOnContext(v -> engine.listen().map(engine).onComplete(started));
    return started.future();
  }

  public EngineConfig config() {
    return config;
  }

  public State state() {
    return state;
  }

  /** The port it listens on (the real one when the config asked for 0). */
  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://" + config.host() + ":" + port();
  }

  /** Requests running or waiting for a slot: what vllm:num_requests_running/waiting sum to. */
  public int inFlight() {
    return inFlight;
  }

  /** What the engine wrote to its standard output: the lines a pod's log shows. */
  public EngineLog log() {
    return log;
  }

  /** The most requests it held at once, running or waiting for a slot. */
  public int peakInFlight() {
    return peakInFlight;
  }

  /** Generations whose client went away before the answer was complete. */
  public long abandoned() {
    return abandoned.get();
  }

  /**
   * Told of every POST as it arrives, before it is judged, on the engine's context. Nothing is kept
   * unless a listener keeps it, so a long-running engine pays nothing for this.
   */
  public void onRequest(Consumer<ReceivedRequest> listener) {
    requestListeners.add(listener);
  }

  /** The text of every line of {@link #log()}. */
  public List<String> logLines() {
    return log.lines().stream().map(EngineLog.Line::text).toList();
  }

  /** Told of every state change, on the engine's context. */
  public void onStateChange(Consumer<State> listener) {
    listeners.add(listener);
  }

  /** Completes when the engine has stopped, by crash or by shutdown. */
  public Future<Void> stopped() {
    return stopped.future();
  }

  /** Dies at once, as a killed process: connections cut mid-stream, no more listening. */
  public Future<Void> crash() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> terminate(State.CRASHED).onComplete(done));
    return done.future();
  }

  /**
   * Stops as vLLM does on SIGTERM: new requests are refused, in-flight ones finish, and after
   * {@code grace} whatever still runs is cut.
   */
  public Future<Void> shutdown(Duration grace) {
    context.runOnContext(
        v -> {
          if (isDown()) {
            return;
          }
          setState(State.STOPPING);
          if (sequences.isEmpty()) {
            terminate(State.STOPPED);
          } else {
            vertx.setTimer(Math.max(1, grace.toMillis()), t -> terminate(State.STOPPED));
          }
        });
    return stopped.future();
  }

  /** Stops at once. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> terminate(State.STOPPED).onComplete(done));
    return done.future();
  }

  private Future<Void> listen() {
    Router router = Router.router(vertx);
    router.route().handler(this::accessLog);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    router.get("/v1/models").handler(this::models);
    router.post().handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024));
    router.post().handler(this::received);
    router.post("/v1/chat/completions").handler(rc -> generate(rc, GenerateRequest.Kind.CHAT));
    router.post("/v1/completions").handler(rc -> generate(rc, GenerateRequest.Kind.COMPLETION));
    router.post("/v1/embeddings").handler(this::embeddings);
    router.route().last().handler(rc -> error(rc.response(), 404, "NotFoundError", "Not Found"));
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
            .connectionHandler(
                conn -> {
                  connections.add(conn);
                  conn.closeHandler(v -> connections.remove(conn));
                })
            .requestHandler(router);
    return server
        .listen()
        .onSuccess(
            s -> {
              log.vllm("INFO", "api_server.py:1043", "vLLM API server version 0.8.5");
              log.vllm("INFO", "api_server.py:1044", "args: " + args());
              log.vllm(
                  "INFO",
                  "gpu_model_runner.py:1329",
                  "Starting to load model " + config.model() + "...");
              log.vllm("INFO", "default_loader.py:272", "Loading model weights...");
              loadTimer =
                  vertx.setTimer(Math.max(1, config.startup().toMillis()), t -> finishLoading());
            })
        .onFailure(e -> LOG.error("engine {}: cannot listen on {}", config.name(), address(), e))
        .mapEmpty();
  }

  private void finishLoading() {
    loadTimer = -1;
    if (state != State.LOADING) {
      return;
    }
    if (config.fault() == EngineFault.OOM) {
      log.vllm("ERROR", "core.py:396", "EngineCore failed to start.");
      log.vllm("ERROR", "core.py:396", OOM_LOG_LINE);
      LOG.error("engine {} at {}: {}", config.name(), address(), OOM_LOG_LINE);
      setState(State.FAILED);
      return;
    }
    log.vllm(
        "INFO",
        "gpu_model_runner.py:1347",
        String.format(
            "Model loading took %.4f GiB and %.6f seconds",
            15.0 * config.tensorParallelSize(), config.startup().toMillis() / 1000.0));
    log.vllm(
        "INFO",
        "api_server.py:1090",
        "Starting vLLM API server on http://" + config.host() + ":" + port());
    log.uvicorn("INFO", "Started server process [1]");
    log.uvicorn("INFO", "Waiting for application startup.");
    log.uvicorn("INFO", "Application startup complete.");
    LOG.info("engine {} at {}: ready, serving {}", config.name(), address(), config.modelNames());
    setState(State.READY);
  }

  private void received(RoutingContext rc) {
    if (!requestListeners.isEmpty()) {
      JsonObject body;
      try {
        body = rc.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        body = null;
      }
      ReceivedRequest seen =
          new ReceivedRequest(
              rc.request().path(),
              MultiMap.caseInsensitiveMultiMap().addAll(rc.request().headers()),
              body);
      for (Consumer<ReceivedRequest> listener : requestListeners) {
        listener.accept(seen);
      }
    }
    rc.next();
  }

  private void health(RoutingContext rc) {
    rc.response().setStatusCode(state == State.READY ? 200 : 503).end();
  }

  private void metrics(RoutingContext rc) {
    rc.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.render());
  }

  private void models(RoutingContext rc) {
    json(rc.response(), 200, ResponseShapes.models(config, clock.instant().getEpochSecond()));
  }

  private void embeddings(RoutingContext rc) {
    JsonObject body = body(rc);
    if (body == null || !admit(rc, body.getValue("model"))) {
      return;
    }
    Object input = body.getValue("input");
    List<String> texts = new ArrayList<>();
    if (input instanceof String s) {
      texts.add(s);
    } else if (input instanceof JsonArray list && !list.isEmpty()) {
      for (Object item : list) {
        if (!(item instanceof String s)) {
          error(rc.response(), 400, "BadRequestError", "input must be a string or strings");
          return;
        }
        texts.add(s);
      }
    } else {
      error(rc.response(), 400, "BadRequestError", "Field required: input");
      return;
    }
    JsonArray vectors = new JsonArray();
    int tokens = 0;
    for (String text : texts) {
      vectors.add(embed(text));
      tokens += Generation.countTokens(text);
    }
    metrics.promptTokens(tokens);
    metrics.succeeded();
    json(
        rc.response(),
        200,
        ResponseShapes.embeddings(
            "embd-" + hexId(),
            clock.instant().getEpochSecond(),
            (String) body.getValue("model"),
            vectors,
            tokens));
  }

  private static JsonArray embed(String text) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    double[] v = new double[EMBEDDING_DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextDouble(-1, 1);
      norm += v[i] * v[i];
    }
    JsonArray out = new JsonArray();
    for (double d : v) {
      out.add(d / Math.sqrt(norm));
    }
    return out;
  }

  private void generate(RoutingContext rc, GenerateRequest.Kind kind) {
    JsonObject body = body(rc);
    if (body == null) {
      return;
    }
    GenerateRequest request;
    try {
      request = GenerateRequest.parse(kind, body);
      request.requireFits(config.maxModelLen(), Generation.countTokens(request.prompt()));
    } catch (IllegalArgumentException e) {
      String param = e instanceof GenerateRequest.InvalidParameter p ? p.param() : null;
      json(rc.response(), 400, ResponseShapes.error(400, "BadRequestError", e.getMessage(), param));
      return;
    }
    if (!admit(rc, request.model())) {
      return;
    }
    if (config.fault() == EngineFault.ERROR) {
      error(rc.response(), 500, "InternalServerError", "EngineCore encountered an issue.");
      return;
    }
    int budget = request.maxTokens() != null ? request.maxTokens() : config.defaultMaxTokens();
    long seed = request.seed() != null ? request.seed() : config.seed();
    Generation generation =
        Generation.plan(request.prompt(), seed, budget, request.minTokens(), request.ignoreEos());
    Sequence sequence = new Sequence(rc.response(), request, generation);
    sequences.add(sequence);
    inFlight = sequences.size();
    peakInFlight = Math.max(peakInFlight, inFlight);
    rc.response().closeHandler(v -> sequence.abandon());
    sequence.ticket = slots.acquire(sequence::start);
  }

  /** Answers the request itself and returns false when the engine cannot take it. */
  private boolean admit(RoutingContext rc, Object model) {
    if (state != State.READY) {
      error(
          rc.response(),
          503,
          "ServiceUnavailableError",
          "The engine is not ready (" + state.name().toLowerCase() + ").");
      return false;
    }
    if (!(model instanceof String name) || !config.modelNames().contains(name)) {
      error(rc.response(), 404, "NotFoundError", "The model `" + model + "` does not exist.");
      return false;
    }
    return true;
  }

  private JsonObject body(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    error(rc.response(), 400, "BadRequestError", "The request body must be a JSON object.");
    return null;
  }

  private boolean isDown() {
    return state == State.CRASHED || state == State.STOPPED;
  }

  private Future<Void> terminate(State end) {
    if (isDown()) {
      return stopped.future();
    }
    if (loadTimer >= 0) {
      vertx.cancelTimer(loadTimer);
    }
    for (Sequence s : List.copyOf(sequences)) {
      s.cancelTimer();
    }
    setState(end);
    if (end == State.CRASHED) {
      log.vllm("ERROR", "core_client.py:564", "Engine process died unexpectedly (simulated crash)");
      LOG.error("engine {} at {}: crashed (simulated)", config.name(), address());
    } else {
      log.uvicorn("INFO", "Shutting down");
      log.uvicorn("INFO", "Finished server process [1]");
    }
    for (HttpConnection conn : List.copyOf(connections)) {
      conn.close();
    }
    server.close().onComplete(ar -> stopped.tryComplete());
    return stopped.future();
  }

  private void setState(State next) {
    state = next;
    LOG.debug("engine {} at {}: {}", config.name(), address(), next);
    for (Consumer<State> listener : listeners) {
      listener.accept(next);
    }
  }

  /** uvicorn's access line per request, as vLLM writes it; probes and scrapes are left out. */
  private void accessLog(RoutingContext rc) {
    String path = rc.request().path();
    if (!path.equals("/health") && !path.equals("/metrics")) {
      var remote = rc.request().remoteAddress();
      rc.addEndHandler(
          v ->
              log.uvicorn(
                  "INFO",
                  (remote == null ? "-" : remote.hostAddress() + ":" + remote.port())
                      + " - \""
                      + rc.request().method()
                      + " "
                      + rc.request().uri()
                      + " HTTP/1.1\" "
                      + rc.response().getStatusCode()
                      + " "
                      + rc.response().getStatusMessage()));
    }
    rc.next();
  }

  /** The engine's arguments as vLLM prints them at start. */
  private String args() {
    return "Namespace(model='"
        + config.model()
        + "', served_model_name="
        + config.modelNames().stream().map(n -> "'" + n + "'").toList()
        + ", host='"
        + config.host()
        + "', port="
        + config.port()
        + ", tensor_parallel_size="
        + config.tensorParallelSize()
        + ", max_model_len="
        + config.maxModelLen()
        + ", max_num_seqs="
        + config.maxNumSeqs()
        + ", seed="
        + config.seed()
        + ")";
  }

  private String address() {
    return config.host() + ":" + (server == null ? config.port() : server.actualPort());
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static void error(HttpServerResponse response, int status, String type, String msg) {
    json(response, status, ResponseShapes.error(status, type, msg));
  }

  private static String hexId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** One request's generation: waits for a slot, then emits tokens on schedule. */
  private final class Sequence {
    private final HttpServerResponse response;
    private final GenerateRequest request;
    private final Generation generation;
    private final String id;
    private final long created;
    private SequenceSlots.Ticket ticket;
    private long timer = -1;
    private long firstTokenAtNanos;
    private int sent;
    private boolean done;
    private Future<Void> lastWrite = Future.succeededFuture();

    Sequence(HttpServerResponse response, GenerateRequest request, Generation generation) {
      this.response = response;
      this.request = request;
      this.generation = generation;
      this.id = (request.kind() == GenerateRequest.Kind.CHAT ? "chatcmpl-" : "cmpl-") + hexId();
      this.created = clock.instant().getEpochSecond();
    }

    void start() {
      metrics.promptTokens(generation.promptTokens());
      if (config.fault() == EngineFault.HANG) {
        return; // holds its slot until the client gives up
      }
      if (request.stream()) {
        response
            .setChunked(true)
            .setStatusCode(200)
            .putHeader("content-type", "text/event-stream; charset=utf-8");
        if (request.kind() == GenerateRequest.Kind.CHAT) {
          write(ResponseShapes.roleChunk(id, created, request.model()));
        }
      }
      long ttft = config.timeToFirstToken().toNanos();
      firstTokenAtNanos = System.nanoTime() + ttft;
      schedule(ttft);
    }

    private void schedule(long delayNanos) {
      // Always through a timer, never inline: the slot's ticket is not handed out yet.
      long millis = Math.max(1, (delayNanos + 999_999) / 1_000_000);
      timer = vertx.setTimer(millis, t -> emitDue());
    }

    private void emitDue() {
      timer = -1;
      if (done) {
        return;
      }
      int total = generation.completionTokens();
      int due = total;
      if (config.tokensPerSecond() > 0) {
        double elapsed = (System.nanoTime() - firstTokenAtNanos) / 1e9;
        due = Math.min(total, 1 + (int) Math.floor(elapsed * config.tokensPerSecond()));
      }
      while (sent < due) {
        if (config.fault() == EngineFault.CRASH && sent >= config.faultAfterTokens()) {
          // Die once what was generated has reached the wire, as a real crash would find it.
          done = true;
          lastWrite.onComplete(v -> crash());
          return;
        }
        String token = generation.tokens().get(sent);
        sent++;
        metrics.generationTokens(1);
        if (request.stream()) {
          String finish = sent == total ? generation.finishReason() : null;
          write(
              ResponseShapes.tokenChunk(
                  request.kind(), id, created, request.model(), token, finish));
        }
      }
      if (sent >= total) {
        finish();
      } else {
        long next = firstTokenAtNanos + (long) (sent / config.tokensPerSecond() * 1e9);
        schedule(Math.max(0, next - System.nanoTime()));
      }
    }

    private void finish() {
      if (request.stream()) {
        if (request.includeUsage()) {
          write(
              ResponseShapes.usageChunk(
                  request.kind(), id, created, request.model(), generation, sent));
        }
        if (!response.closed()) {
          response.end("data: [DONE]\n\n");
        }
      } else {
        json(
            response,
            200,
            ResponseShapes.response(request.kind(), id, created, request.model(), generation));
      }
      metrics.succeeded();
      end();
    }

    private void write(JsonObject chunk) {
      if (!response.closed() && !response.ended()) {
        lastWrite = response.write("data: " + chunk.encode() + "\n\n");
      }
    }

    void abandon() {
      if (!done) {
        if (!isDown()) { // a crash or a shutdown cuts connections too: that is not a client leaving
          abandoned.incrementAndGet();
        }
        LOG.debug("engine {}: client of {} went away after {} tokens", config.name(), id, sent);
        cancelTimer();
        end();
      }
    }

    void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void end() {
      done = true;
      sequences.remove(this);
      inFlight = sequences.size();
      if (ticket != null) {
        ticket.release();
      }
      if (state == State.STOPPING && sequences.isEmpty()) {
        terminate(State.STOPPED);
      }
    }
  }
}
