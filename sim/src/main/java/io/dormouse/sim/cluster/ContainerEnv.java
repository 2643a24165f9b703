package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it before it starts the container: plain values,
 * and values from Secrets and ConfigMaps. A reference that cannot be resolved (the Secret or key is
 * missing and not optional) stops the container with CreateContainerConfigError and the kubelet's
 * message.
 */
final class ContainerEnv {

  /**
   * @param values the environment, when every reference resolved
   * @param error the kubelet's message, when one did not
   */
  record Resolved(Map<String, String> values, String error) {}

  private ContainerEnv() {}

  static Resolved resolve(KubernetesClient client, String namespace, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : listOf(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getSecretRef() != null) {
        Secret s = secret(client, namespace, from.getSecretRef().getName());
        if (s == null) {
          if (!Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            return failed("secret \"" + from.getSecretRef().getName() + "\" not found");
          }
          continue;
        }
        decoded(s).forEach((k, v) -> env.put(prefix + k, v));
      }
      if (from.getConfigMapRef() != null) {
        ConfigMap cm = configMap(client, namespace, from.getConfigMapRef().getName());
        if (cm == null) {
          if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            return failed("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
          }
          continue;
        }
        if (cm.getData() != null) {
          cm.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (EnvVar e : listOf(container.getEnv())) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
        continue;
      }
      SecretKeySelector sk = e.getValueFrom().getSecretKeyRef();
      if (sk != null) {
        boolean optional = Boolean.TRUE.equals(sk.getOptional());
        Secret s = secret(client, namespace, sk.getName());
        if (s == null) {
          if (optional) {
            continue;
          }
          return failed("secret \"" + sk.getName() + "\" not found");
        }
        String value = decoded(s).get(sk.getKey());
        if (value == null) {
          if (optional) {
            continue;
          }
          return failed(
              "couldn't find key " + sk.getKey() + " in Secret " + namespace + "/" + sk.getName());
        }
        env.put(e.getName(), value);
      }
      ConfigMapKeySelector ck = e.getValueFrom().getConfigMapKeyRef();
      if (ck != null) {
        boolean optional = Boolean.TRUE.equals(ck.getOptional());
        ConfigMap cm = configMap(client, namespace, ck.getName());
        String value = cm == null || cm.getData() == null ? null : cm.getData().get(ck.getKey());
        if (cm == null && !optional) {
          return failed("configmap \"" + ck.getName() + "\" not found");
        }
        if (value == null) {
          if (optional || cm == null) {
            continue;
          }
          return failed(
              "couldn't find key "
                  + ck.getKey()
                  + " in ConfigMap "
                  + namespace
                  + "/"
                  + ck.getName());
        }
        env.put(e.getName(), value);
      }
    }
    return new Resolved(env, null);
  }

  private static Resolved failed(String message) {
    return new Resolved(null, message);
  }

  private static Secret secret(KubernetesClient client, String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  private static ConfigMap configMap(KubernetesClient client, String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  private static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  private static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : list;
  }
}
