package io.dormouse.bench.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Debian's nginx as targets (c) and (d): a plain reverse proxy run as the current user. */
public final class NginxServer implements AutoCloseable {

  private final ChildProcess process;

  private NginxServer(ChildProcess process) {
    this.process = process;
  }

  public static String binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("nginx is not installed (bench/run.sh installs it)");
  }

  public static NginxServer start(
      Path prefix, String workers, List<NginxConfig.Route> routes, Path logDir) throws IOException {
    prefix = Files.createDirectories(prefix).toAbsolutePath();
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, NginxConfig.render(prefix.toString(), workers, routes));
    ChildProcess child =
        ChildProcess.start(
            "nginx",
            List.of(binary(), "-p", prefix.toString(), "-c", conf.toString()),
            Map.of(),
            logDir);
    for (NginxConfig.Route r : routes) {
      Ports.awaitListening("nginx", r.listenPort(), Duration.ofSeconds(20));
    }
    return new NginxServer(child);
  }

  /** The master; its workers are its children, and the sampler counts them. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
