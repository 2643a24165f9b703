package io.dormouse.operator.reconcile;

import io.dormouse.operator.presets.PresetCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presets ConfigMap, parsed once per resourceVersion: not on every reconcile of every endpoint,
 * and a malformed catalog is logged once, not every minute.
 */
final class CatalogReader {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogReader.class);

  private String version;
  private PresetCatalog catalog = PresetCatalog.empty();

  /** The catalog in {@code configMap}; empty when there is none or it is malformed. */
  synchronized PresetCatalog read(ConfigMap configMap) {
    if (configMap == null) {
      version = null;
      catalog = PresetCatalog.empty();
      return catalog;
    }
    String seen = configMap.getMetadata().getResourceVersion();
    if (seen != null && Objects.equals(seen, version)) {
      return catalog;
    }
    version = seen;
    try {
      catalog =
          PresetCatalog.parse(
              configMap.getData() == null ? null : configMap.getData().get(PresetCatalog.DATA_KEY));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "ConfigMap {}/{}: {}",
          configMap.getMetadata().getNamespace(),
          configMap.getMetadata().getName(),
          e.getMessage());
      catalog = PresetCatalog.empty();
    }
    return catalog;
  }
}
