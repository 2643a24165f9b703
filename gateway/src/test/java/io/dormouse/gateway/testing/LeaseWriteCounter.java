package io.dormouse.gateway.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The mock API server's CRUD dispatcher, counting every write to a Lease. */
public final class LeaseWriteCounter extends KubernetesCrudDispatcher {

  public final AtomicInteger writes = new AtomicInteger();

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
    if (request.getPath().contains("/leases")) {
      writes.incrementAndGet();
    }
  }
}
