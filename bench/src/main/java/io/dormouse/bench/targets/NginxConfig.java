package io.dormouse.bench.targets;

import java.util.List;

/**
 * A minimal nginx.conf for a plain reverse proxy: one server per route, keep-alive to the upstream,
 * no buffering so streams pass chunk by chunk, and every path under a private prefix so it runs as
 * an ordinary user.
 */
public final class NginxConfig {

  /** Traffic to {@code listenPort} goes to the engine on {@code upstreamPort}. */
  public record Route(int listenPort, int upstreamPort) {}

  private NginxConfig() {}

  /**
   * @param workers a number, or {@code auto} for one per core
   */
  public static String render(String prefix, String workers, List<Route> routes) {
    StringBuilder conf = new StringBuilder();
    conf.append("worker_processes ")
        .append(workers)
        .append(";\n")
        .append("daemon off;\n")
        .append("pid ")
        .append(prefix)
        .append("/nginx.pid;\n")
        .append("error_log ")
        .append(prefix)
        .append("/error.log warn;\n")
        .append("events { worker_connections 4096; }\n")
        .append("http {\n")
        .append("  access_log off;\n")
        .append("  client_body_temp_path ")
        .append(prefix)
        .append("/client_body;\n")
        .append("  proxy_temp_path ")
        .append(prefix)
        .append("/proxy;\n")
        .append("  fastcgi_temp_path ")
        .append(prefix)
        .append("/fastcgi;\n")
        .append("  uwsgi_temp_path ")
        .append(prefix)
        .append("/uwsgi;\n")
        .append("  scgi_temp_path ")
        .append(prefix)
        .append("/scgi;\n")
        .append("  keepalive_requests 1000000;\n");
    for (Route r : routes) {
      String upstream = "engine_" + r.upstreamPort();
      conf.append("  upstream ")
          .append(upstream)
          .append(" {\n")
          .append("    server 127.0.0.1:")
          .append(r.upstreamPort())
          .append(";\n")
          .append("    keepalive 512;\n")
          .append("    keepalive_requests 1000000;\n")
          .append("  }\n")
          .append("  server {\n")
          .append("    listen 127.0.0.1:")
          .append(r.listenPort())
          .append(";\n")
          .append("    location / {\n")
          .append("      proxy_pass http://")
          .append(upstream)
          .append(";\n")
          .append("      proxy_http_version 1.1;\n")
          .append("      proxy_set_header Connection \"\";\n")
          .append("      proxy_buffering off;\n")
          .append("      proxy_request_buffering off;\n")
          .append("    }\n")
          .append("  }\n");
    }
    return conf.append("}\n").toString();
  }
}
