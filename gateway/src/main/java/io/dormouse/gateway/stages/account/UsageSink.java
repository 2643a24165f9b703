package io.dormouse.gateway.stages.account;

import io.dormouse.gateway.usage.RequestRecord;

/**
 * Where accounting hands each finished request besides the access log and the metrics: the hook for
 * a usage ledger. Called on the request's event loop: an implementation must not block (queue the
 * record and write it elsewhere).
 */
@FunctionalInterface
public interface UsageSink {

  void accept(RequestRecord record);

  UsageSink NONE = r -> {};
}
