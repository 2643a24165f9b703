package io.dormouse.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/**
 * A report's rows printed as an aligned table, CSV (RFC 4180 quoting) or a JSON array of objects.
 * Numeric columns stay numbers in JSON; decimals keep their digits as strings.
 */
record Table(List<String> header, List<Boolean> numeric, List<List<String>> rows) {

  void print(Format format, PrintWriter out) {
    switch (format) {
      case CSV -> {
        out.println(csvLine(header));
        rows.forEach(r -> out.println(csvLine(r)));
      }
      case JSON -> out.println(json());
      default -> table(out);
    }
    out.flush();
  }

  private void table(PrintWriter out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    out.println(line(header.stream().map(String::toUpperCase).toList(), widths));
    rows.forEach(r -> out.println(line(r, widths)));
    if (rows.isEmpty()) {
      out.println("(no records in this range: the rollup writes them every few minutes)");
    }
  }

  private String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      b.append(numeric.get(i) ? pad + cell : cell + pad);
      if (i < cells.size() - 1) {
        b.append("  ");
      }
    }
    return b.toString().stripTrailing();
  }

  private static String csvLine(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
        c = "\"" + c.replace("\"", "\"\"") + "\"";
      }
      b.append(i == 0 ? "" : ",").append(c);
    }
    return b.toString();
  }

  private String json() {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (List<String> r : rows) {
      ObjectNode o = array.addObject();
      for (int i = 0; i < header.size(); i++) {
        String name = header.get(i);
        String v = r.get(i);
        if (numeric.get(i) && v.matches("-?\\d+")) {
          o.put(name, Long.parseLong(v));
        } else {
          o.put(name, v);
        }
      }
    }
    return array.toPrettyString();
  }
}
