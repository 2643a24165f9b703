package io.dormouse.bench.report;

/**
 * One target from issue 7 against what was measured.
 *
 * @param met null when it was not measured in this run
 */
public record TargetCheck(String target, String measured, Boolean met) {

  public String verdict() {
    return met == null ? "not measured" : met ? "met" : "missed";
  }
}
