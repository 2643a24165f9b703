package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * One GitHub Actions workflow of the repository (.github/workflows), parsed, with its text for what
 * YAML drops (the version comments beside pinned actions).
 */
record Workflow(String name, String text, JsonNode yaml) {

  static Workflow read(String file) {
    Path path = Chart.repository().resolve(".github/workflows").resolve(file);
    try {
      String text = Files.readString(path);
      return new Workflow(file, text, Manifests.YAML.readTree(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  JsonNode job(String id) {
    JsonNode job = yaml.path("jobs").path(id);
    if (job.isMissingNode()) {
      throw new AssertionError(name + " has no job " + id);
    }
    return job;
  }

  List<String> jobIds() {
    List<String> ids = new ArrayList<>();
    yaml.path("jobs").fieldNames().forEachRemaining(ids::add);
    return ids;
  }

  List<JsonNode> steps(String job) {
    return StreamSupport.stream(job(job).path("steps").spliterator(), false).toList();
  }

  /** The step of a job that uses the action {@code owner/name}; exactly one. */
  JsonNode stepUsing(String job, String action) {
    List<JsonNode> found =
        steps(job).stream().filter(s -> s.path("uses").asText().startsWith(action + "@")).toList();
    if (found.size() != 1) {
      throw new AssertionError(name + " job " + job + " uses " + action + " " + found.size() + "x");
    }
    return found.get(0);
  }

  /** The scripts of a job's {@code run} steps, trimmed. */
  List<String> runs(String job) {
    return steps(job).stream()
        .filter(s -> s.has("run"))
        .map(s -> s.get("run").asText().strip())
        .toList();
  }

  /** Every job this one waits for, directly or through others. */
  Set<String> needsTransitively(String job) {
    Set<String> needed = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(needs(job));
    while (!todo.isEmpty()) {
      String next = todo.remove(0);
      if (needed.add(next)) {
        todo.addAll(needs(next));
      }
    }
    return needed;
  }

  private List<String> needs(String job) {
    JsonNode needs = job(job).path("needs");
    if (needs.isTextual()) {
      return List.of(needs.asText());
    }
    return StreamSupport.stream(needs.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** The {@code uses:} lines as written, comments included. */
  List<String> usesLines() {
    return text.lines().map(String::strip).filter(l -> l.matches("(- )?uses: .*")).toList();
  }
}
