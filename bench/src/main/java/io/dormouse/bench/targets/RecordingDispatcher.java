package io.dormouse.bench.targets;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CRUD dispatcher, noting the arrival time of every write, so the wake benchmark can time the
 * gateway's Lease write and the operator's scale write in the API server's own process.
 */
final class RecordingDispatcher extends KubernetesCrudDispatcher {

  private final List<ApiWrite> writes = new ArrayList<>();
  private final List<Consumer<ApiWrite>> listeners = new ArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    long at = System.nanoTime();
    String method = request.getMethod();
    if (!"GET".equals(method)) {
      // The body is not read here: reading it would consume it before the store sees it.
      ApiWrite write = new ApiWrite(at, method, request.getPath());
      List<Consumer<ApiWrite>> toTell;
      synchronized (this) {
        writes.add(write);
        toTell = List.copyOf(listeners);
      }
      toTell.forEach(l -> l.accept(write));
    }
    return super.dispatch(request);
  }

  synchronized List<ApiWrite> writes() {
    return List.copyOf(writes);
  }

  synchronized void onWrite(Consumer<ApiWrite> listener) {
    listeners.add(listener);
  }
}
