package io.dormouse.sim.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side printing, as {@code kubectl get} asks for it ({@code Accept: ...;as=Table}): a
 * meta.k8s.io/v1 Table whose columns are the CRD's additionalPrinterColumns, so that {@code kubectl
 * get ie} shows phase, tier and model as against a real API server.
 */
final class PrinterTable {

  private PrinterTable() {}

  /**
   * @param crd the CustomResourceDefinition of the objects
   * @param version the version served
   * @param body a single object, or a list with {@code items}
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> of(Map<String, Object> crd, String version, Map<String, Object> body) {
    List<Map<String, Object>> columns = printerColumns(crd, version);
    List<Map<String, Object>> definitions = new ArrayList<>();
    definitions.add(column("Name", "string", "name", 0));
    for (Map<String, Object> c : columns) {
      definitions.add(
          column(
              (String) c.get("name"),
              (String) c.getOrDefault("type", "string"),
              (String) c.getOrDefault("format", ""),
              ((Number) c.getOrDefault("priority", 0)).intValue()));
    }
    List<Map<String, Object>> objects =
        body.containsKey("items") ? (List<Map<String, Object>>) body.get("items") : List.of(body);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      List<Object> cells = new ArrayList<>();
      cells.add(lookup(object, ".metadata.name"));
      for (Map<String, Object> c : columns) {
        cells.add(lookup(object, (String) c.get("jsonPath")));
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", cells);
      row.put("object", object);
      rows.add(row);
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    Object metadata = body.get("metadata");
    table.put(
        "metadata", metadata instanceof Map<?, ?> m && body.containsKey("items") ? m : Map.of());
    table.put("columnDefinitions", definitions);
    table.put("rows", rows);
    return table;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> printerColumns(Map<String, Object> crd, String version) {
    Map<String, Object> spec = (Map<String, Object>) crd.getOrDefault("spec", Map.of());
    for (Object v : (List<Object>) spec.getOrDefault("versions", List.of())) {
      Map<String, Object> ver = (Map<String, Object>) v;
      if (version.equals(ver.get("name"))) {
        return (List<Map<String, Object>>) ver.getOrDefault("additionalPrinterColumns", List.of());
      }
    }
    return List.of();
  }

  private static Map<String, Object> column(String name, String type, String format, int priority) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("type", type);
    c.put("format", format);
    c.put("description", "");
    c.put("priority", priority);
    return c;
  }

  /** A printer column's JSONPath: the dotted field paths CRDs use. Missing fields print empty. */
  @SuppressWarnings("unchecked")
  static Object lookup(Map<String, Object> object, String path) {
    Object current = object;
    for (String part : path.replaceFirst("^\\.", "").split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = ((Map<String, Object>) map).get(part);
    }
    return current;
  }
}
