package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ledger in both database modes: an existing PostgreSQL (host, database, a Secret) or the
 * bundled single-instance one; and with the ledger off, nothing of it.
 */
class LedgerChartTest {

  private static final Map<String, Object> EXTERNAL =
      Map.of(
          "ledger.enabled", true,
          "ledger.postgres.host", "pg.databases.svc",
          "ledger.postgres.port", 6432,
          "ledger.postgres.database", "billing",
          "ledger.postgres.sslmode", "verify-full",
          "ledger.postgres.existingSecret", "ledger-credentials",
          "ledger.usageRetentionDays", 14);

  private static final Map<String, Object> BUNDLED =
      Map.of("ledger.enabled", true, "ledger.postgres.bundled", true);

  @Test
  void offRendersNoLedgerAtAll() {
    Manifests m = Chart.render(ValueSet.DEFAULTS);
    assertThat(m.all())
        .noneMatch(d -> d.path("metadata").path("name").asText().contains("postgres"));
    for (String component : List.of("dormouse-operator", "dormouse-gateway")) {
      Container c = container(m, component);
      assertThat(c.getEnv()).noneMatch(e -> e.getName().startsWith("DORMOUSE_LEDGER"));
      assertThat(c.getVolumeMounts()).noneMatch(v -> v.getName().equals("ledger-spool"));
    }
    assertThat(m.all().toString()).doesNotContain("DormouseLedger");
  }

  @Test
  void anExistingDatabaseIsPassedToOperatorAndGateway() {
    Manifests m = Chart.render(ValueSet.DEFAULTS, EXTERNAL);
    assertThat(m.ofKind("StatefulSet")).isEmpty();
    assertThat(m.ofKind("Secret"))
        .noneMatch(s -> s.path("metadata").path("name").asText().contains("postgres"));
    for (String component : List.of("dormouse-operator", "dormouse-gateway")) {
      Container c = container(m, component);
      Map<String, String> env = values(c);
      assertThat(env)
          .containsEntry("DORMOUSE_LEDGER_ENABLED", "true")
          .containsEntry("DORMOUSE_LEDGER_HOST", "pg.databases.svc")
          .containsEntry("DORMOUSE_LEDGER_PORT", "6432")
          .containsEntry("DORMOUSE_LEDGER_DATABASE", "billing")
          .containsEntry("DORMOUSE_LEDGER_SSLMODE", "verify-full")
          .containsEntry("DORMOUSE_LEDGER_USAGE_RETENTION_DAYS", "14")
          .containsEntry("DORMOUSE_LEDGER_SPOOL_DIR", "/var/lib/dormouse/spool");
      assertThat(secretRef(c, "DORMOUSE_LEDGER_USER")).isEqualTo("ledger-credentials/username");
      assertThat(secretRef(c, "DORMOUSE_LEDGER_PASSWORD")).isEqualTo("ledger-credentials/password");
      assertThat(c.getVolumeMounts())
          .anyMatch(
              v ->
                  v.getName().equals("ledger-spool")
                      && v.getMountPath().equals("/var/lib/dormouse/spool"));
    }
  }

  @Test
  void anExistingDatabaseNeedsAHostAndASecret() {
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("ledger.enabled", true)))
        .hasMessageContaining("ledger");
    assertThatThrownBy(
            () ->
                Chart.render(
                    ValueSet.DEFAULTS,
                    Map.of("ledger.enabled", true, "ledger.postgres.sslmode", "maybe")))
        .hasMessageContaining("sslmode");
  }

  @Test
  void theOperatorAloneGetsTheRollupInterval() {
    Manifests m = Chart.render(ValueSet.DEFAULTS, EXTERNAL);
    assertThat(values(container(m, "dormouse-operator")))
        .containsEntry("DORMOUSE_LEDGER_ROLLUP_INTERVAL", "2m");
    assertThat(values(container(m, "dormouse-gateway")))
        .doesNotContainKey("DORMOUSE_LEDGER_ROLLUP_INTERVAL");

    Map<String, Object> every30s = new java.util.HashMap<>(EXTERNAL);
    every30s.put("ledger.rollupInterval", "30s");
    assertThat(values(container(Chart.render(ValueSet.DEFAULTS, every30s), "dormouse-operator")))
        .containsEntry("DORMOUSE_LEDGER_ROLLUP_INTERVAL", "30s");

    Map<String, Object> nonsense = new java.util.HashMap<>(EXTERNAL);
    nonsense.put("ledger.rollupInterval", "every now and then");
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, nonsense))
        .hasMessageContaining("rollupInterval");
  }

  @Test
  void theBundledDatabaseIsOnePostgres17WithAClaimAndItsOwnSecret() {
    Manifests m = Chart.render(ValueSet.DEFAULTS, BUNDLED);
    StatefulSet sts = m.one("StatefulSet", "dormouse-postgres", StatefulSet.class);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("docker.io/library/postgres:17.6");
    assertThat(sts.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            pvc ->
                assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
                    .isEqualTo("20Gi"));
    assertThat(m.one("Service", "dormouse-postgres").path("spec").path("type").asText())
        .isEqualTo("ClusterIP");
    // its Secret is a pre-install hook (made once, never rotated by an upgrade), which this
    // rendering leaves out; the pods refer to it
    Map<String, String> env = values(container(m, "dormouse-gateway"));
    assertThat(env)
        .containsEntry("DORMOUSE_LEDGER_HOST", "dormouse-postgres.dormouse-system.svc")
        .containsEntry("DORMOUSE_LEDGER_PORT", "5432");
    assertThat(secretRef(container(m, "dormouse-operator"), "DORMOUSE_LEDGER_PASSWORD"))
        .isEqualTo("dormouse-postgres/password");
  }

  @Test
  void theBundledDatabaseIsRestricted() {
    PodTemplateSpec pod =
        Chart.render(ValueSet.DEFAULTS, BUNDLED)
            .one("StatefulSet", "dormouse-postgres", StatefulSet.class)
            .getSpec()
            .getTemplate();
    var podSc = pod.getSpec().getSecurityContext();
    assertThat(podSc.getRunAsNonRoot()).isTrue();
    assertThat(podSc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    Container c = pod.getSpec().getContainers().get(0);
    var sc = c.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getVolumeMounts())
        .extracting(v -> v.getMountPath())
        .contains("/var/lib/postgresql/data", "/var/run/postgresql", "/tmp");
  }

  @Test
  void onlyTheOperatorAndTheGatewayReachTheBundledDatabase() {
    NetworkPolicy policy =
        Chart.render(ValueSet.DEFAULTS, BUNDLED)
            .one("NetworkPolicy", "dormouse-postgres", NetworkPolicy.class);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("dormouse.io/role", "postgres");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom())
                  .extracting(p -> p.getPodSelector().getMatchLabels().get("dormouse.io/role"))
                  .containsExactlyInAnyOrder("operator", "gateway");
              assertThat(rule.getFrom())
                  .allMatch(p -> p.getNamespaceSelector() == null && p.getIpBlock() == null);
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(5432));
            });
  }

  @Test
  void theAlertsWatchTheLedgerWhenItIsOn() {
    Manifests m =
        Chart.render(
            ValueSet.DEFAULTS,
            Map.of(
                "ledger.enabled",
                true,
                "ledger.postgres.bundled",
                true,
                "monitoring.prometheusRule.enabled",
                true));
    String rules = m.one("PrometheusRule", "dormouse").toString();
    assertThat(rules).contains("DormouseLedgerDown").contains("dormouse_ledger_database_up");
    assertThat(rules).contains("DormouseLedgerBacklog").contains("dormouse_ledger_pending_rows");
  }

  @Test
  void theGatewaysSpoolIsAnEmptyDirUnlessAVolumeIsGiven() {
    PodTemplateSpec byDefault = podTemplate(Chart.render(ValueSet.DEFAULTS, EXTERNAL));
    var spool = volume(byDefault, "ledger-spool");
    assertThat(spool.getEmptyDir()).isNotNull();
    assertThat(spool.getEmptyDir().getSizeLimit().toString()).isEqualTo("1Gi");

    Map<String, Object> withClaim = new java.util.HashMap<>(EXTERNAL);
    withClaim.put("gateway.ledgerSpoolVolume.persistentVolumeClaim.claimName", "gateway-spool");
    PodTemplateSpec claimed = podTemplate(Chart.render(ValueSet.DEFAULTS, withClaim));
    spool = volume(claimed, "ledger-spool");
    assertThat(spool.getEmptyDir()).isNull();
    assertThat(spool.getPersistentVolumeClaim().getClaimName()).isEqualTo("gateway-spool");
    assertThat(claimed.getSpec().getContainers().get(0).getVolumeMounts())
        .anyMatch(
            v ->
                v.getName().equals("ledger-spool")
                    && v.getMountPath().equals("/var/lib/dormouse/spool"));

    // Without the ledger, the volume given is not mounted at all.
    Manifests off =
        Chart.render(
            ValueSet.DEFAULTS,
            Map.of("gateway.ledgerSpoolVolume.persistentVolumeClaim.claimName", "gateway-spool"));
    assertThat(podTemplate(off).getSpec().getVolumes())
        .noneMatch(v -> v.getName().equals("ledger-spool"));
  }

  private static PodTemplateSpec podTemplate(Manifests m) {
    return m.podTemplates().entrySet().stream()
        .filter(e -> e.getKey().contains("dormouse-gateway"))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static io.fabric8.kubernetes.api.model.Volume volume(PodTemplateSpec t, String name) {
    return t.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Container container(Manifests m, String deployment) {
    return m.podTemplates().entrySet().stream()
        .filter(e -> e.getKey().contains(deployment))
        .findFirst()
        .orElseThrow()
        .getValue()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static Map<String, String> values(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static String secretRef(Container c, String name) {
    EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    var ref = e.getValueFrom().getSecretKeyRef();
    return ref.getName() + "/" + ref.getKey();
  }
}
