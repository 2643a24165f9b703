package io.dormouse.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names through which the operator and the gateway meet: both sides read them here, so the
 * contract lives in the API and neither module depends on the other.
 */
public final class Wiring {

  /** On every object made for an endpoint, and on its engine pods: the endpoint's name. */
  public static final String LABEL_ENDPOINT = "dormouse.io/endpoint";

  /**
   * On every per-tier object and engine pod, and on the NodePool the operator owns for a tier and
   * that pool's nodes: the GpuTier's name.
   */
  public static final String LABEL_TIER = "dormouse.io/tier";

  /** {@code engine} on engine pods, {@code gateway} on gateway pods, {@code operator}. */
  public static final String LABEL_ROLE = "dormouse.io/role";

  public static final String ROLE_ENGINE = "engine";
  public static final String ROLE_GATEWAY = "gateway";
  public static final String ROLE_OPERATOR = "operator";

  /** On a Secret that holds one API key's SHA-256 hash; the value is {@code "true"}. */
  public static final String LABEL_API_KEY = "dormouse.io/api-key";

  /** On an API-key Secret: the project the key belongs to. */
  public static final String LABEL_PROJECT = "dormouse.io/project";

  /** Key of the API-key Secret's data entry holding the lowercase hex SHA-256 of the key. */
  public static final String SECRET_KEY_SHA256 = "sha256";

  /** Annotation of the API-key Secret: the key's public prefix, safe to log. */
  public static final String ANNOTATION_KEY_ID = "dormouse.io/key-id";

  /**
   * On a Namespace, set by the platform team: the projects its endpoints may serve, comma-separated
   * ({@code "search,support-bot"}). An annotation, not a label: label values cannot hold commas.
   */
  public static final String ANNOTATION_ALLOWED_PROJECTS = "dormouse.io/allowed-projects";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "dormouse";

  /** The engine's HTTP port, named {@code http} on the container and the Service. */
  public static final int ENGINE_PORT = 8000;

  public static final String ENGINE_PORT_NAME = "http";

  private static final int MAX_NAME = 63;

  private Wiring() {}

  /** The coordination.k8s.io/v1 Lease in the endpoint's namespace that carries demand. */
  public static String activityLeaseName(String endpoint) {
    return dnsLabel(endpoint + "-activity");
  }

  /** Name of the Deployment and of the Service of one (endpoint, tier). */
  public static String engineName(String endpoint, String tier) {
    return dnsLabel(endpoint + "-" + tier);
  }

  /** Name of the Karpenter NodePool the operator owns for a tier with {@code spec.nodePool}. */
  public static String nodePoolName(String tier) {
    return dnsLabel("dormouse-" + tier);
  }

  /** Name of the engine NetworkPolicy of an endpoint. */
  public static String engineNetworkPolicyName(String endpoint) {
    return dnsLabel(endpoint + "-engine");
  }

  /**
   * Names longer than a DNS label keep a readable head and end in a hash of the whole, so distinct
   * inputs stay distinct.
   */
  static String dnsLabel(String name) {
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = sha256Hex(name).substring(0, 10);
    String head = name.substring(0, MAX_NAME - hash.length() - 1);
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash;
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
