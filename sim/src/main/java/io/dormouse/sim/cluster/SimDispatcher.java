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
  private final Object admissionLock = new Object();

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
    }
    RecordedRequest req = mergePatchForStrategic(request);
    boolean write =
        req.method() == HttpMethod.POST
            || req.method() == HttpMethod.PUT
            || req.method() == HttpMethod.PATCH;
    if (write && path.startsWith(GROUP_PREFIX)) {
      // One Dormouse write at a time, so that what was validated is what gets stored.
      synchronized (admissionLock) {
        return admitted(req, path);
      }
    }
    return store.dispatch(req);
  }

  private MockResponse admitted(RecordedRequest request, String path) {
    try {
      boolean create = request.method() == HttpMethod.POST;
      // Reading a recorded body consumes it: the store gets a fresh copy.
      String body = request.getUtf8Body();
      RecordedRequest req = withBody(request, body);
      Map<String, Object> proposed =
          proposed(req.method(), req.getHeader("Content-Type"), body, path);
      if (proposed == null) {
        return store.dispatch(req); // nothing stored there: the store answers 404
      }
      CustomResourceAdmission.Decision decision = admission.admit(proposed, create);
      if (!decision.allowed()) {
        LOG.info("api server: refused {} {}: {}", request.method(), path, decision.message());
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
        return store.dispatch(withBody(req, JSON.writeValueAsString(decision.object())));
      }
      return store.dispatch(req);
    } catch (IOException | RuntimeException e) {
      return json(
          400,
          ApiStatus.status(400, "BadRequest", "cannot read the request: " + e.getMessage(), null));
    }
  }

  /** The object as the store would hold it after this write, or null when there is none. */
  private Map<String, Object> proposed(
      HttpMethod method, String contentType, String requestBody, String path) throws IOException {
    JsonNode body = JSON.readTree(requestBody);
    if (method == HttpMethod.POST) {
      return JSON.convertValue(body, MAP);
    }
    boolean statusPath = path.endsWith("/status");
    String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
    MockResponse current = store.handleGet(objectPath);
    if (current.code() != 200) {
      return null;
    }
    JsonNode stored = JSON.readTree(current.getBody().readUtf8());
    JsonNode full;
    if (method == HttpMethod.PUT) {
      full = body;
    } else if (contentType == null || contentType.startsWith("application/json-patch+json")) {
      full = JsonPatch.apply(body, stored);
    } else {
      full = JSON.readerForUpdating(stored.deepCopy()).readValue(body);
    }
    ObjectNode result = (ObjectNode) (statusPath ? stored.deepCopy() : full.deepCopy());
    JsonNode status = statusPath ? full.get("status") : stored.get("status");
    if (status != null) {
      result.set("status", status);
    } else {
      result.remove("status");
    }
    return JSON.convertValue(result, MAP);
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

  /**
   * The mock store knows JSON and merge patches only; kubectl sends built-in kinds a strategic
   * merge patch, which for the fields kubectl apply touches reads as a merge patch.
   */
  private static RecordedRequest mergePatchForStrategic(RecordedRequest req) {
    String type = req.getHeader("Content-Type");
    if (req.method() != HttpMethod.PATCH
        || type == null
        || !type.startsWith("application/strategic-merge-patch+json")) {
      return req;
    }
    return new RecordedRequest(
        "HTTP/1.1",
        req.method(),
        req.getPath(),
        req.getHeaders().newBuilder().set("Content-Type", "application/merge-patch+json").build(),
        req.getBody());
  }

  private static RecordedRequest withBody(RecordedRequest req, String body) {
    return new RecordedRequest(
        "HTTP/1.1",
        req.method(),
        req.getPath(),
        req.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
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
