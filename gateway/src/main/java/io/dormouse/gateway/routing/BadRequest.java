package io.dormouse.gateway.routing;

/** A request body the gateway refuses, with what to tell the client. */
public final class BadRequest extends Exception {

  private final String param;
  private final String code;

  public BadRequest(String message, String param, String code) {
    super(message, null, false, false);
    this.param = param;
    this.code = code;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }
}
