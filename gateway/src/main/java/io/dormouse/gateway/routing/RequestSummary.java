package io.dormouse.gateway.routing;

/**
 * What routing, limits and the proxy need from a request body, and nothing more.
 *
 * @param maxTokens the completion budget the client asked for, or null
 * @param clientWantsUsage the client itself set {@code stream_options.include_usage}
 * @param promptTokens an estimate of the prompt's tokens (about four characters a token)
 */
public record RequestSummary(
    String model, boolean stream, Integer maxTokens, boolean clientWantsUsage, long promptTokens) {}
