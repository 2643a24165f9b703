package io.dormouse.operator.lifecycle;

/**
 * A tier given up on: the endpoint moved from it to another tier, or to none ({@code toTier} is
 * {@code "none"}).
 */
public record Fallback(String fromTier, String toTier, String reason) {

  public static final String NONE = "none";
}
