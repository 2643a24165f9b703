package io.dormouse.sim.apiserver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side printing, as {@code kubectl get} asks for it ({@code Accept: ...;as=Table}): a
 * meta.k8s.io/v1 Table. A custom resource's columns are its CRD's additionalPrinterColumns, in the
 * declared order, dates shown as ages; built-in kinds get the columns of Kubernetes' own printers
 * ({@link BuiltInPrinters}).
 */
final class Tables {

  /** One column of a Table. Priority 0 shows always, 1 only with {@code -o wide}. */
  record Column(String name, String type, String format, int priority) {

    static Column of(String name) {
      return new Column(name, "string", "", 0);
    }

    static Column wide(String name) {
      return new Column(name, "string", "", 1);
    }

    Map<String, Object> definition() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", name);
      c.put("type", type);
      c.put("format", format);
      c.put("description", "");
      c.put("priority", priority);
      return c;
    }
  }

  /** How one kind prints: the columns and, per object, a cell for each. */
  interface Printer {
    List<Column> columns();

    List<Object> cells(Map<String, Object> object, Instant now);
  }

  private Tables() {}

  /**
   * @param body a single object, or a list with {@code items}
   * @param headers false for the watch events after the first, which the API server sends without
   *     column definitions
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> of(
      Printer printer, Map<String, Object> body, Instant now, boolean headers) {
    List<Map<String, Object>> objects =
        body.containsKey("items") ? (List<Map<String, Object>>) body.get("items") : List.of(body);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", printer.cells(object, now));
      row.put("object", object);
      rows.add(row);
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    Object metadata = body.get("metadata");
    table.put(
        "metadata", metadata instanceof Map<?, ?> m && body.containsKey("items") ? m : Map.of());
    if (headers) {
      table.put("columnDefinitions", printer.columns().stream().map(Column::definition).toList());
    }
    table.put("rows", rows);
    return table;
  }

  /** The printer of a custom resource version: Name, then its additionalPrinterColumns. */
  @SuppressWarnings("unchecked")
  static Printer forCrd(Map<String, Object> crd, String version) {
    List<Map<String, Object>> declared = List.of();
    for (Map<String, Object> v : Json.list(crd, "spec.versions")) {
      if (version.equals(v.get("name"))) {
        declared =
            (List<Map<String, Object>>)
                v.getOrDefault("additionalPrinterColumns", defaultCrdColumns());
      }
    }
    List<Map<String, Object>> printed = declared;
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("Name", "string", "name", 0));
    for (Map<String, Object> c : printed) {
      String type = (String) c.getOrDefault("type", "string");
      columns.add(
          new Column(
              (String) c.get("name"),
              type,
              (String) c.getOrDefault("format", ""),
              ((Number) c.getOrDefault("priority", 0)).intValue()));
    }
    return new Printer() {
      @Override
      public List<Column> columns() {
        return columns;
      }

      @Override
      public List<Object> cells(Map<String, Object> object, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(Json.at(object, "metadata.name"));
        for (Map<String, Object> c : printed) {
          cells.add(cell(Json.at(object, (String) c.get("jsonPath")), c.get("type"), now));
        }
        return cells;
      }
    };
  }

  /** A CRD without printer columns prints its age, as the API server adds it. */
  private static List<Map<String, Object>> defaultCrdColumns() {
    return List.of(
        Map.of("name", "Age", "type", "date", "jsonPath", ".metadata.creationTimestamp"));
  }

  /** A cell as the API server's CRD printer renders it: dates as ages, numbers as numbers. */
  private static Object cell(Object value, Object type, Instant now) {
    if (value == null) {
      return null;
    }
    return switch (String.valueOf(type)) {
      case "date" -> HumanDuration.since(value, now);
      case "integer", "number", "boolean" -> value;
      default -> value instanceof String ? value : Json.write(value);
    };
  }

  /** The printer of kinds with no printer of their own: name and age. */
  static Printer nameAndAge() {
    return new Printer() {
      @Override
      public List<Column> columns() {
        return List.of(new Column("Name", "string", "name", 0), Column.of("Age"));
      }

      @Override
      public List<Object> cells(Map<String, Object> object, Instant now) {
        return List.of(
            Json.text(object, "metadata.name"),
            HumanDuration.since(Json.at(object, "metadata.creationTimestamp"), now));
      }
    };
  }
}
