package io.dormouse.gateway.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The mock API server's CRUD dispatcher, counting every write to a Lease. */
public final class LeaseWriteCounter extends KubernetesCrudDispatcher {

  public final AtomicInteger writes = new AtomicInteger();
  private final Map<String, AtomicInteger> byLease = new ConcurrentHashMap<>();

  /** Writes to one Lease, by name. */
  public int writes(String lease) {
    AtomicInteger n = byLease.get(lease);
    return n == null ? 0 : n.get();
  }

  public LeaseWriteCounter() {
    super(List.of());
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    count(request);
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    count(request);
    return super.handleUpdate(request);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    count(request);
    return super.handlePatch(request);
  }

  private void count(RecordedRequest request) {
    String path = request.getPath();
    int at = path.indexOf("/leases");
    if (at >= 0) {
      writes.incrementAndGet();
      String rest = path.substring(at + "/leases".length());
      String name = rest.startsWith("/") ? rest.substring(1).split("[/?]")[0] : "(create)";
      if (name.equals("(create)")) {
        var m =
            java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(
                    new String(
                        request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        name = m.find() ? m.group(1) : name;
      }
      byLease.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }
  }
}
