package io.dormouse.bench.wake;

/**
 * The wake path, timed in the mock API server's process (where the writes land) and at the client.
 *
 * @param operator who answered the Lease write: {@code "harness"} (the benchmark played the
 *     operator) or {@code "operator"} (the real one)
 * @param coldToLeaseWriteMs median, first cold request sent → the gateway's Lease write received
 * @param coldToScaleWriteMs median, first cold request sent → the Deployment scale write received
 *     (NaN when the harness plays the operator: it writes no Deployment)
 * @param readyToFirstByteMs median, the EndpointSlice turning ready → first response byte
 * @param leaseWritesDuringBurst Lease writes while the waiting requests were held (1 = one signal)
 * @param heapPerThousandWaitersMb the gateway's heap after GC with the waiters held, minus before
 */
public record WakeResult(
    String operator,
    int trials,
    double coldToLeaseWriteMs,
    double coldToScaleWriteMs,
    double readyToFirstByteMs,
    int waiters,
    int served,
    int failed,
    int leaseWritesDuringBurst,
    double heapPerThousandWaitersMb,
    double rssPerThousandWaitersMb,
    double burstReleaseSeconds) {}
