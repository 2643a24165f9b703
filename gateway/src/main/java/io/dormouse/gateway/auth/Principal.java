package io.dormouse.gateway.auth;

/** Who is calling: the project a valid key belongs to, and the key's public id. */
public record Principal(String project, String keyId) {}
