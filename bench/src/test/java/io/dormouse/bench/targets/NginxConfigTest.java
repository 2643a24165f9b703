package io.dormouse.bench.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NginxConfigTest {

  private final String conf =
      NginxConfig.render(
          "/tmp/ngx",
          "1",
          List.of(new NginxConfig.Route(18080, 18000), new NginxConfig.Route(18081, 18001)));

  @Test
  void proxiesEachListenPortToItsEngineOverKeepAlive() {
    assertThat(conf)
        .contains("listen 127.0.0.1:18080;", "server 127.0.0.1:18000;")
        .contains("listen 127.0.0.1:18081;", "server 127.0.0.1:18001;")
        .contains("proxy_pass http://engine_18000;", "proxy_pass http://engine_18001;")
        .contains("keepalive 512;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";");
  }

  @Test
  void autoWorkersMeanOnePerCore() {
    assertThat(NginxConfig.render("/tmp/ngx", "auto", List.of()))
        .contains("worker_processes auto;");
  }

  @Test
  void streamsUnbufferedSoChunksAreNotCoalescedByTheBaseline() {
    assertThat(conf).contains("proxy_buffering off;", "proxy_request_buffering off;");
  }

  @Test
  void keepsEveryFileUnderItsPrefixSoItRunsUnprivileged() {
    assertThat(conf)
        .contains("pid /tmp/ngx/nginx.pid;", "error_log /tmp/ngx/error.log warn;")
        .contains("proxy_temp_path /tmp/ngx/proxy;", "client_body_temp_path /tmp/ngx/client_body;")
        .contains("daemon off;", "worker_processes 1;")
        .doesNotContain("user ");
    assertThat(conf.chars().filter(c -> c == '{').count())
        .isEqualTo(conf.chars().filter(c -> c == '}').count());
  }
}
