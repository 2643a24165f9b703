package io.dormouse.sim.apiserver;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where the API server finds what a pod's container wrote: the kubelet that runs it. */
public interface PodLogs {

  /** One line a container wrote, and when. */
  record Line(Instant at, String text) {}

  /** A container's log. */
  interface Log {
    /** Every line so far. */
    List<Line> lines();

    /**
     * Calls {@code onLine} for each line written from now on, and {@code onEnd} when the container
     * stops; closing the handle stops both.
     */
    AutoCloseable follow(Consumer<Line> onLine, Runnable onEnd);
  }

  /**
   * The log of the running container of a pod, or of the one before it ({@code previous}), or empty
   * when there is none.
   */
  Optional<Log> log(String namespace, String pod, boolean previous);

  /** No container runs anywhere: every log is empty. */
  PodLogs NONE = (namespace, pod, previous) -> Optional.empty();
}
