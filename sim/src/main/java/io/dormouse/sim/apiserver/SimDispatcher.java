package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.sim.apiserver.Discovery.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server's request path, in the order a real one takes: discovery and OpenAPI
 * documents; the resource the path names (404 for anything else); the namespace, which must exist
 * for a write; the body, read from JSON or protobuf; then per verb: watches and field selectors,
 * Tables, {@code pods/log}, admission of Dormouse objects (defaults on create, the CRDs' schema and
 * CEL rules on every write), {@code dryRun}, and the mock server's CRUD store underneath. Every
 * error is a Kubernetes Status naming the object.
 */
final class SimDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(SimDispatcher.class);
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  private final CustomResourceAdmission admission;
  private final Object writeLock = new Object();
  private volatile PodLogs podLogs = PodLogs.NONE;

  SimDispatcher(CustomResourceAdmission admission) {
    this.admission = admission;
  }

  KubernetesCrudDispatcher store() {
    return store;
  }

  void podLogs(PodLogs logs) {
    this.podLogs = logs;
  }

  Reply dispatch(ApiCall call) {
    try {
      return route(call);
    } catch (ApiError e) {
      return e.reply();
    } catch (IOException | IllegalArgumentException e) {
      return status(400, "BadRequest", "the request could not be read: " + e.getMessage(), null);
    }
  }

  private Reply route(ApiCall call) throws IOException {
    String path = call.path();
    boolean get = call.method().equals("GET");
    if (get) {
      List<Map<String, Object>> crds = crds();
      Optional<String> document =
          path.startsWith("/openapi/v3")
              ? OpenApi.answer(path, crds)
              : Discovery.answer(path, crds);
      if (document.isPresent()) {
        return Reply.Whole.json(200, document.get());
      }
      if (path.equals("/version")) {
        return Reply.Whole.json(200, Json.write(version()));
      }
      if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
        return Reply.Whole.text(200, "ok");
      }
    }
    List<Resource> resources = Discovery.resources(crds());
    Optional<ApiPath> parsed =
        ApiPath.parse(
            path,
            gvr -> find(resources, gvr[0], gvr[1], gvr[2]).map(Resource::namespaced).orElse(false));
    if (parsed.isEmpty()) {
      throw ApiError.notFound();
    }
    ApiPath at = parsed.get();
    Resource resource =
        find(resources, at.group(), at.version(), at.resource()).orElseThrow(ApiError::notFound);
    if (at.namespace() != null && !resource.namespaced()) {
      throw ApiError.notFound();
    }
    if (at.subresource() != null && !resource.subresources().contains(at.subresource())) {
      throw ApiError.notFound();
    }
    if (at.name() == null
        && !get
        && !call.method().equals("POST")
        && !call.method().equals("DELETE")) {
      throw new ApiError(
          405,
          "MethodNotAllowed",
          "the server does not allow this method on the requested resource");
    }
    if ("log".equals(at.subresource())) {
      return log(call, at);
    }
    if (get) {
      return read(call, at, resource);
    }
    if (at.namespace() != null && !namespaceExists(at.namespace())) {
      throw new ApiError(
          404,
          "NotFound",
          "namespaces \"" + at.namespace() + "\" not found",
          details(at.namespace(), "", "namespaces"));
    }
    // One write at a time, so that a read-modify-write below sees no other write in between.
    synchronized (writeLock) {
      return write(call, at, resource);
    }
  }

  // ---- reads -------------------------------------------------------------------------------

  private Reply read(ApiCall call, ApiPath at, Resource resource) throws IOException {
    Map<String, String> query = call.query();
    FieldSelector selector;
    try {
      selector =
          FieldSelector.parse(query.get("fieldSelector"), resource.group(), resource.plural());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "BadRequest", e.getMessage());
    }
    Tables.Printer printer = call.wantsTable() ? printer(resource) : null;
    String storeUri = selector.selectsEverything() ? call.uri() : call.uriWithout("fieldSelector");
    if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
      long since = parseLong(query.get("resourceVersion"));
      long timeout = parseLong(query.get("timeoutSeconds"));
      return new Reply.Watch(
          at.name() == null
              ? storeUri
              : at.objectPath().replaceAll("/[^/]+$", "")
                  + "?watch=true&fieldSelector=metadata.name%3D"
                  + at.name(),
          new WatchStream.Shape(selector, since, printer),
          timeout);
    }
    MockResponse stored = store.handleGet(at.subresource() == null ? storeUri : at.objectPath());
    if (stored.code() != 200 || stored.getBody() == null) {
      throw notFound(at, resource);
    }
    Map<String, Object> body = Json.read(stored.getBody().readUtf8());
    if (at.name() == null) {
      body = listed(body, resource, selector);
    } else if (!body.containsKey("metadata")) {
      throw notFound(at, resource);
    }
    if (printer != null) {
      return Reply.Whole.json(200, Json.write(Tables.of(printer, body, Instant.now(), true)));
    }
    return Reply.Whole.json(200, Json.write(body));
  }

  /** A list as the API server sends it: its kind, and only the items the selector keeps. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> listed(
      Map<String, Object> body, Resource resource, FieldSelector selector) {
    Map<String, Object> list = new LinkedHashMap<>(body);
    List<Map<String, Object>> items =
        (List<Map<String, Object>>) list.getOrDefault("items", List.of());
    list.put("items", items.stream().filter(selector::matches).toList());
    list.put("kind", resource.kind() + "List");
    list.put("apiVersion", resource.groupVersion());
    return list;
  }

  private Tables.Printer printer(Resource resource) {
    if (!resource.builtIn()) {
      for (Map<String, Object> crd : crds()) {
        if (resource.group().equals(Json.text(crd, "spec.group"))
            && resource.plural().equals(Json.text(crd, "spec.names.plural"))) {
          return Tables.forCrd(crd, resource.version());
        }
      }
    }
    return BuiltInPrinters.of(resource.group(), resource.plural()).orElseGet(Tables::nameAndAge);
  }

  // ---- pods/log ----------------------------------------------------------------------------

  private Reply log(ApiCall call, ApiPath at) {
    MockResponse stored = store.handleGet(at.objectPath());
    if (stored.code() != 200 || stored.getBody() == null) {
      throw new ApiError(
          404, "NotFound", "pods \"" + at.name() + "\" not found", details(at.name(), "", "pods"));
    }
    Map<String, Object> pod = Json.read(stored.getBody().readUtf8());
    Map<String, String> query = call.query();
    List<Map<String, Object>> containers = Json.list(pod, "spec.containers");
    String container =
        query.getOrDefault(
            "container", containers.isEmpty() ? "" : Json.text(containers.get(0), "name"));
    if (containers.stream().noneMatch(c -> container.equals(c.get("name")))) {
      throw new ApiError(
          400, "BadRequest", "container " + container + " is not valid for pod " + at.name());
    }
    boolean previous = "true".equals(query.get("previous"));
    Optional<PodLogs.Log> log = podLogs.log(at.namespace(), at.name(), previous);
    if (log.isEmpty()) {
      if (previous) {
        throw new ApiError(
            400,
            "BadRequest",
            "previous terminated container \""
                + container
                + "\" in pod \""
                + at.name()
                + "\" not found");
      }
      String waiting = "ContainerCreating";
      for (Map<String, Object> s : Json.list(pod, "status.containerStatuses")) {
        String reason = Json.text(s, "state.waiting.reason");
        if (container.equals(s.get("name")) && reason != null) {
          waiting = reason;
        }
      }
      if (Json.text(pod, "spec.nodeName") == null) {
        throw new ApiError(
            400,
            "BadRequest",
            "container \""
                + container
                + "\" in pod \""
                + at.name()
                + "\" is waiting to start: "
                + waiting);
      }
      if (Json.list(pod, "status.containerStatuses").stream()
          .anyMatch(s -> Json.at(s, "state.waiting") != null)) {
        throw new ApiError(
            400,
            "BadRequest",
            "container \""
                + container
                + "\" in pod \""
                + at.name()
                + "\" is waiting to start: "
                + waiting);
      }
      return Reply.Whole.text(200, "");
    }
    boolean timestamps = "true".equals(query.get("timestamps"));
    if ("true".equals(query.get("follow"))) {
      return new Reply.FollowLog(log.get(), timestamps);
    }
    List<PodLogs.Line> lines = log.get().lines();
    long tail = query.containsKey("tailLines") ? parseLong(query.get("tailLines")) : -1;
    if (tail >= 0 && tail < lines.size()) {
      lines = lines.subList(lines.size() - (int) tail, lines.size());
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(logLine(l, timestamps)));
    return Reply.Whole.text(200, out.toString());
  }

  static String logLine(PodLogs.Line line, boolean timestamps) {
    return (timestamps ? line.at().toString() + " " : "") + line.text() + "\n";
  }

  // ---- writes ------------------------------------------------------------------------------

  private Reply write(ApiCall call, ApiPath at, Resource resource) throws IOException {
    boolean dryRun = "All".equals(call.query().get("dryRun")) || deleteOptionsDryRun(call);
    String body = call.bodyText();
    if (!call.method().equals("DELETE") && ProtobufBodies.isProtobuf(call.contentType())) {
      Optional<Map<String, Object>> decoded = ProtobufBodies.toJson(call.body());
      if (decoded.isEmpty()) {
        throw new ApiError(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include:"
                + " application/json, application/yaml");
      }
      body = Json.write(decoded.get());
    }
    switch (call.method()) {
      case "POST":
        return create(call, at, resource, body, dryRun);
      case "PUT":
        return update(call, at, resource, body, dryRun);
      case "PATCH":
        return patch(call, at, resource, body, dryRun);
      case "DELETE":
        return delete(call, at, resource, dryRun);
      default:
        throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method");
    }
  }

  private Reply create(ApiCall call, ApiPath at, Resource resource, String body, boolean dryRun)
      throws IOException {
    Map<String, Object> object = Json.read(body);
    String name = Json.text(object, "metadata.name");
    String namespace = Json.text(object, "metadata.namespace");
    if (namespace != null && at.namespace() != null && !namespace.equals(at.namespace())) {
      throw new ApiError(
          400,
          "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    if (name != null && exists(at.objectPath() + "/" + name)) {
      throw new ApiError(
          409,
          "AlreadyExists",
          at.qualifiedResource() + " \"" + name + "\" already exists",
          details(name, resource.group(), resource.plural()));
    }
    object = admit(resource, object, true);
    if (dryRun) {
      return Reply.Whole.json(201, Json.write(asCreated(object, at)));
    }
    return answered(
        store.dispatch(request("POST", at.objectPath(), Json.write(object))), at, resource);
  }

  private Reply update(ApiCall call, ApiPath at, Resource resource, String body, boolean dryRun)
      throws IOException {
    JsonNode stored = stored(at.objectPath());
    if (stored == null) {
      throw notFound(at, resource);
    }
    Map<String, Object> proposed = proposed(stored, Json.MAPPER.readTree(body), at, true);
    proposed = admit(resource, proposed, false);
    if (dryRun) {
      return Reply.Whole.json(200, Json.write(proposed));
    }
    String path =
        at.subresource() == null ? at.objectPath() : at.objectPath() + "/" + at.subresource();
    return answered(store.dispatch(request("PUT", path, body)), at, resource);
  }

  /**
   * A merge patch (or a strategic one, which for what kubectl and controllers send reads the same
   * once its directives are dropped) becomes a PUT of the merged object, merged as RFC 7386 says:
   * the store's own merge appends to arrays. A JSON patch is applied here too.
   */
  private Reply patch(ApiCall call, ApiPath at, Resource resource, String body, boolean dryRun)
      throws IOException {
    JsonNode stored = stored(at.objectPath());
    if (stored == null) {
      throw notFound(at, resource);
    }
    JsonNode patch = Json.MAPPER.readTree(body);
    String type = call.contentType() == null ? "" : call.contentType();
    JsonNode merged;
    if (type.startsWith("application/json-patch+json")) {
      JsonNode base = stored.deepCopy();
      merged = JsonPatch.apply(patch, base);
    } else if (type.startsWith("application/apply-patch")) {
      throw new ApiError(
          415,
          "UnsupportedMediaType",
          "the sim does not implement server-side apply; use kubectl apply without --server-side");
    } else {
      if (type.startsWith("application/strategic-merge-patch+json")) {
        patch = StrategicDirectives.strip(patch);
      }
      merged = MergePatch.apply(stored, patch);
    }
    boolean pinned = patch.path("metadata").has("resourceVersion");
    if (!pinned && stored.path("metadata").has("resourceVersion")) {
      // A patch without a resourceVersion applies to whatever is stored, never conflicting.
      ((ObjectNode) merged.withObject("/metadata"))
          .put("resourceVersion", stored.path("metadata").path("resourceVersion").asText());
    }
    Map<String, Object> proposed = proposed(stored, merged, at, false);
    proposed = admit(resource, proposed, false);
    if (dryRun) {
      return Reply.Whole.json(200, Json.write(proposed));
    }
    String path =
        at.subresource() == null ? at.objectPath() : at.objectPath() + "/" + at.subresource();
    return answered(store.dispatch(request("PUT", path, Json.write(merged))), at, resource);
  }

  private Reply delete(ApiCall call, ApiPath at, Resource resource, boolean dryRun)
      throws IOException {
    if (at.name() == null) {
      return answered(store.dispatch(request("DELETE", call.uri(), null)), at, resource);
    }
    JsonNode stored = stored(at.objectPath());
    if (stored == null) {
      throw notFound(at, resource);
    }
    if (dryRun) {
      return Reply.Whole.json(200, Json.MAPPER.writeValueAsString(stored));
    }
    MockResponse response = store.handleDelete(at.objectPath());
    if (at.group().isEmpty() && at.resource().equals("namespaces") && response.code() == 200) {
      deleteContents(at.name());
    }
    return answered(response, at, resource);
  }

  /** kubectl sends a delete's dryRun in the DeleteOptions body, not in the query. */
  private static boolean deleteOptionsDryRun(ApiCall call) {
    if (!call.method().equals("DELETE") || call.body().length == 0) {
      return false;
    }
    try {
      Map<String, Object> options =
          ProtobufBodies.isProtobuf(call.contentType())
              ? ProtobufBodies.toJson(call.body()).orElse(Map.of())
              : Json.read(call.bodyText());
      return options.get("dryRun") instanceof List<?> l && l.contains("All");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A deleted namespace takes everything in it along. */
  private void deleteContents(String namespace) {
    for (Resource r : Discovery.resources(crds())) {
      if (!r.namespaced()) {
        continue;
      }
      String collection =
          (r.group().isEmpty() ? "/api/" : "/apis/" + r.group() + "/")
              + r.version()
              + "/namespaces/"
              + namespace
              + "/"
              + r.plural();
      MockResponse listed = store.handleGet(collection);
      if (listed.code() != 200 || listed.getBody() == null) {
        continue;
      }
      for (Map<String, Object> item : Json.list(Json.read(listed.getBody().readUtf8()), "items")) {
        store.handleDelete(collection + "/" + Json.text(item, "metadata.name"));
      }
    }
  }

  /**
   * The whole object after a write, with status as the path allows: a status write changes only
   * status.
   */
  private static Map<String, Object> proposed(
      JsonNode stored, JsonNode full, ApiPath at, boolean put) {
    boolean statusPath = "status".equals(at.subresource());
    ObjectNode result = (ObjectNode) (statusPath ? stored.deepCopy() : full.deepCopy());
    JsonNode status = statusPath ? full.get("status") : stored.get("status");
    if (status != null) {
      result.set("status", status);
    } else {
      result.remove("status");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Json.MAPPER.convertValue(result, Map.class);
    return map;
  }

  /** Admission of Dormouse objects; everything else is stored as sent. */
  private Map<String, Object> admit(Resource resource, Map<String, Object> object, boolean create) {
    if (resource.builtIn()) {
      return create ? BuiltInDefaults.apply(resource.kind(), object) : object;
    }
    CustomResourceAdmission.Decision decision = admission.admit(object, create, crds());
    if (!decision.allowed()) {
      LOG.info("api server: refused {}: {}", resource.kind(), decision.message());
      throw new ApiError(
          ApiStatus.invalid(
              resource.group(),
              resource.kind(),
              Optional.ofNullable(Json.text(object, "metadata.name")).orElse(""),
              decision.message(),
              decision.causes()));
    }
    return decision.object();
  }

  /** The object as a create would store it: what the store fills in on create, filled in. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> asCreated(Map<String, Object> object, ApiPath at) {
    Map<String, Object> out = new LinkedHashMap<>(object);
    Map<String, Object> metadata =
        new LinkedHashMap<>((Map<String, Object>) out.getOrDefault("metadata", Map.of()));
    if (at.namespace() != null) {
      metadata.put("namespace", at.namespace());
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("generation", 1);
    out.put("metadata", metadata);
    return out;
  }

  // ---- the store ---------------------------------------------------------------------------

  /** The store's answer, with a proper Status when it failed. */
  private Reply answered(MockResponse response, ApiPath at, Resource resource) {
    String body = response.getBody() == null ? "" : response.getBody().readUtf8();
    int code = response.code();
    if (code < 400) {
      return Reply.Whole.json(code, body.isEmpty() ? "{}" : body);
    }
    if (code == 404) {
      throw notFound(at, resource);
    }
    String message = body;
    try {
      Object m = Json.read(body).get("message");
      if (m != null) {
        message = String.valueOf(m);
      }
    } catch (IllegalArgumentException e) {
      // not a Status: its text is the message
    }
    if (code == 409) {
      throw new ApiError(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + at.qualifiedResource()
              + " \""
              + at.name()
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again",
          details(at.name(), resource.group(), resource.plural()));
    }
    throw new ApiError(code, code == 422 ? "Invalid" : "BadRequest", message);
  }

  private JsonNode stored(String objectPath) throws IOException {
    MockResponse current = store.handleGet(objectPath);
    if (current.code() != 200 || current.getBody() == null) {
      return null;
    }
    JsonNode node = Json.MAPPER.readTree(current.getBody().readUtf8());
    return node != null && node.has("metadata") ? node : null;
  }

  private boolean exists(String objectPath) throws IOException {
    return stored(objectPath) != null;
  }

  private boolean namespaceExists(String namespace) {
    MockResponse ns = store.handleGet("/api/v1/namespaces/" + namespace);
    return ns.code() == 200 && ns.getBody() != null && ns.getBody().readUtf8().contains("metadata");
  }

  private static RecordedRequest request(String method, String path, String body) {
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.valueOf(method),
        path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }

  private List<Map<String, Object>> crds() {
    MockResponse response = store.handleGet(CRDS);
    if (response.code() != 200 || response.getBody() == null) {
      return List.of();
    }
    try {
      return new ArrayList<>(Json.list(Json.read(response.getBody().readUtf8()), "items"));
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  private static Optional<Resource> find(
      List<Resource> resources, String group, String version, String plural) {
    return resources.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  private static ApiError notFound(ApiPath at, Resource resource) {
    if (at.name() == null) {
      return ApiError.notFound();
    }
    return new ApiError(
        404,
        "NotFound",
        at.qualifiedResource() + " \"" + at.name() + "\" not found",
        details(at.name(), resource.group(), resource.plural()));
  }

  private static Map<String, Object> details(String name, String group, String kind) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", kind);
    return details;
  }

  private static Map<String, Object> version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-dormouse-sim");
    v.put("gitCommit", "");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-01-01T00:00:00Z");
    v.put("goVersion", "");
    v.put("compiler", "");
    v.put("platform", "linux/amd64");
    return v;
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Reply status(
      int code, String reason, String message, Map<String, Object> details) {
    return Reply.Whole.json(code, ApiStatus.status(code, reason, message, details));
  }

  /** An error answered as a Kubernetes Status. */
  static final class ApiError extends RuntimeException {
    private final int code;
    private final String body;

    ApiError(int code, String reason, String message) {
      this(code, reason, message, null);
    }

    ApiError(int code, String reason, String message, Map<String, Object> details) {
      super(message, null, false, false);
      this.code = code;
      this.body = ApiStatus.status(code, reason, message, details);
    }

    /** A 422 Invalid body, made by {@link ApiStatus#invalid}. */
    ApiError(String invalidBody) {
      super("invalid", null, false, false);
      this.code = 422;
      this.body = invalidBody;
    }

    static ApiError notFound() {
      return new ApiError(404, "NotFound", "the server could not find the requested resource");
    }

    Reply reply() {
      return Reply.Whole.json(code, body);
    }
  }
}
