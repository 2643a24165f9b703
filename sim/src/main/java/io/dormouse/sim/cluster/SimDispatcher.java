package io.dormouse.sim.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server's request path: discovery documents, then admission of Dormouse objects
 * (defaults on create, validation on create and update, as a real API server applies the CRD's
 * schema), then the mock server's CRUD store.
 */
final class SimDispatcher extends Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(SimDispatcher.class);
  private static final String GROUP_PREFIX = "/apis/dormouse.io/";
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  private final CustomResourceAdmission admission;
  private final Object writeLock = new Object();

  SimDispatcher(CustomResourceAdmission admission) {
    this.admission = admission;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = bare(request.getPath());
    if (request.method() == HttpMethod.GET) {
      Optional<String> document = Discovery.answer(path, crds());
      if (document.isPresent()) {
        return json(200, document.get());
      }
      if (path.startsWith("/openapi/")) {
        return json(
            404, ApiStatus.status(404, "NotFound", "the server could not find " + path, null));
      }
      String accept = request.getHeader("Accept");
      if (accept != null && accept.contains("as=Table") && !request.getPath().contains("watch=")) {
        Optional<MockResponse> table = table(request, path);
        if (table.isPresent()) {
          return table.get();
        }
      }
      return store.dispatch(request);
    }
    // One write at a time, so that a read-modify-write below sees no other write in between.
    synchronized (writeLock) {
      try {
        return write(request, path);
      } catch (IOException | RuntimeException e) {
        return json(
            400,
            ApiStatus.status(
                400, "BadRequest", "cannot read the request: " + e.getMessage(), null));
      }
    }
  }

  private MockResponse write(RecordedRequest request, String path) throws IOException {
    // Reading a recorded body consumes it: the store always gets a fresh copy.
    String body = request.getUtf8Body();
    RecordedRequest req = withBody(request, body, request.getHeaders());
    if (req.method() == HttpMethod.PATCH && !isJsonPatch(req)) {
      req = mergePatchAsPut(req, path, body);
      if (req == null) {
        return json(404, ApiStatus.status(404, "NotFound", path + " not found", null));
      }
    }
    if (path.startsWith(GROUP_PREFIX)
        && (req.method() == HttpMethod.POST
            || req.method() == HttpMethod.PUT
            || req.method() == HttpMethod.PATCH)) {
      return admitted(req, path);
    }
    return store.dispatch(req);
  }

  private MockResponse admitted(RecordedRequest req, String path) throws IOException {
    boolean create = req.method() == HttpMethod.POST;
    String body = req.getUtf8Body();
    req = withBody(req, body, req.getHeaders());
    Map<String, Object> proposed = proposed(req.method(), body, path);
    if (proposed == null) {
      return store.dispatch(req); // nothing stored there: the store answers 404
    }
    CustomResourceAdmission.Decision decision = admission.admit(proposed, create);
    if (!decision.allowed()) {
      LOG.info("api server: refused {} {}: {}", req.method(), path, decision.message());
      return json(
          422,
          ApiStatus.invalid(
              "dormouse.io",
              String.valueOf(proposed.get("kind")),
              name(proposed),
              decision.message(),
              decision.causes()));
    }
    if (create) {
      return store.dispatch(
          withBody(req, JSON.writeValueAsString(decision.object()), req.getHeaders()));
    }
    return store.dispatch(req);
  }

  /** The object as the store would hold it after this write, or null when there is none. */
  private Map<String, Object> proposed(HttpMethod method, String requestBody, String path)
      throws IOException {
    JsonNode body = JSON.readTree(requestBody);
    if (method == HttpMethod.POST) {
      return JSON.convertValue(body, MAP);
    }
    boolean statusPath = path.endsWith("/status");
    JsonNode stored = stored(path);
    if (stored == null) {
      return null;
    }
    JsonNode full = method == HttpMethod.PUT ? body : JsonPatch.apply(body, stored);
    ObjectNode result = (ObjectNode) (statusPath ? stored.deepCopy() : full.deepCopy());
    JsonNode status = statusPath ? full.get("status") : stored.get("status");
    if (status != null) {
      result.set("status", status);
    } else {
      result.remove("status");
    }
    return JSON.convertValue(result, MAP);
  }

  /**
   * A merge patch (or a strategic one, which for what kubectl and controllers send reads the same)
   * becomes a PUT of the merged object, merged as RFC 7386 says: the store's own merge appends to
   * arrays. Null when there is no object to patch.
   */
  private RecordedRequest mergePatchAsPut(RecordedRequest req, String path, String body)
      throws IOException {
    JsonNode stored = stored(path);
    if (stored == null) {
      return null;
    }
    JsonNode patch = JSON.readTree(body);
    ObjectNode merged = (ObjectNode) MergePatch.apply(stored, patch);
    boolean pinned = patch.path("metadata").has("resourceVersion");
    if (!pinned && stored.path("metadata").has("resourceVersion")) {
      // A patch without a resourceVersion applies to whatever is stored, never conflicting.
      ((ObjectNode) merged.withObject("/metadata"))
          .put("resourceVersion", stored.path("metadata").path("resourceVersion").asText());
    }
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.PUT,
        req.getPath(),
        req.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
        new Buffer(JSON.writeValueAsBytes(merged)));
  }

  /** The stored object a path (or its /status) names, or null. */
  private JsonNode stored(String path) throws IOException {
    String objectPath =
        path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
    MockResponse current = store.handleGet(objectPath);
    if (current.code() != 200 || current.getBody() == null) {
      return null;
    }
    JsonNode node = JSON.readTree(current.getBody().readUtf8());
    return node != null && node.has("metadata") ? node : null;
  }

  /** A custom resource GET answered as a Table, or empty for everything else. */
  private Optional<MockResponse> table(RecordedRequest request, String path) {
    String[] parts = path.replaceAll("^/+", "").split("/");
    if (parts.length < 4 || !parts[0].equals("apis")) {
      return Optional.empty();
    }
    String group = parts[1];
    String version = parts[2];
    int pluralAt = parts[3].equals("namespaces") ? 5 : 3;
    if (parts.length <= pluralAt) {
      return Optional.empty();
    }
    String plural = parts[pluralAt];
    Optional<Map<String, Object>> crd =
        crds().stream()
            .filter(c -> group.equals(PrinterTable.lookup(c, ".spec.group")))
            .filter(c -> plural.equals(PrinterTable.lookup(c, ".spec.names.plural")))
            .findFirst();
    if (crd.isEmpty()) {
      return Optional.empty();
    }
    MockResponse plain = store.dispatch(request);
    if (plain.code() != 200 || plain.getBody() == null) {
      return Optional.of(plain);
    }
    try {
      Map<String, Object> body = JSON.readValue(plain.getBody().readUtf8(), MAP);
      return Optional.of(
          json(200, JSON.writeValueAsString(PrinterTable.of(crd.get(), version, body))));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private List<Map<String, Object>> crds() {
    MockResponse response = store.handleGet(CRDS);
    if (response.code() != 200 || response.getBody() == null) {
      return List.of();
    }
    try {
      Map<String, Object> list = JSON.readValue(response.getBody().readUtf8(), MAP);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) list.get("items");
      return items == null ? List.of() : new ArrayList<>(items);
    } catch (JsonProcessingException e) {
      return List.of();
    }
  }

  private static boolean isJsonPatch(RecordedRequest req) {
    String type = req.getHeader("Content-Type");
    return type == null || type.startsWith("application/json-patch+json");
  }

  private static RecordedRequest withBody(
      RecordedRequest req, String body, io.fabric8.mockwebserver.http.Headers headers) {
    return new RecordedRequest(
        "HTTP/1.1",
        req.method(),
        req.getPath(),
        headers,
        new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> object) {
    Object metadata = object.get("metadata");
    return metadata instanceof Map<?, ?> m
        ? String.valueOf(((Map<String, Object>) m).get("name"))
        : "";
  }

  private static String bare(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
