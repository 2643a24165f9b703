package io.dormouse.gateway.proxy;

/**
 * Tokens a response used.
 *
 * @param reported true when the engine said so; false when counted or estimated by the gateway
 */
public record Usage(long promptTokens, long completionTokens, boolean reported) {

  public long total() {
    return promptTokens + completionTokens;
  }
}
