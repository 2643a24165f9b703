package io.dormouse.sim.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * A POST as it reached the engine, before the engine judged it: what a test checks a proxy in front
 * of the engine forwarded.
 *
 * @param headers a copy of the request's headers
 * @param body the JSON body, or null when it was not a JSON object
 */
public record ReceivedRequest(String path, MultiMap headers, JsonObject body) {}
