package io.dormouse.operator.lifecycle;

/**
 * Why a tier's pods cannot start, as observed on them.
 *
 * @param reason one CamelCase word, e.g. CrashLoopBackOff
 * @param message for people, naming the pod or container
 */
public record StartProblem(String reason, String message) {

  public static StartProblem crashLooping(String message) {
    return new StartProblem("CrashLoopBackOff", message);
  }

  public static StartProblem imagePullFailing(String message) {
    return new StartProblem("ImagePullBackOff", message);
  }
}
