package io.dormouse.operator.reconcile;

import io.dormouse.api.tenancy.AllowedProjects;
import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.tenancy.ServedNames;
import io.dormouse.api.v1alpha1.AccessSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.operator.lifecycle.Tenancy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads an endpoint's {@link Tenancy} off what the operator watches: every endpoint of the cluster
 * (whose served names it competes with) and its namespace's declared projects. The rules are the
 * ones in {@code io.dormouse.api.tenancy} that the gateways apply too.
 */
final class TenancyObserver {

  private TenancyObserver() {}

  /**
   * @param all every InferenceEndpoint the cluster has, as the watch last saw them; the endpoint
   *     itself counts as it is now, whether the watch has it yet or not
   * @param declaredProjects the namespace's {@code dormouse.io/allowed-projects}, or null
   */
  static Tenancy of(
      InferenceEndpoint endpoint,
      Collection<InferenceEndpoint> all,
      String declaredProjects,
      boolean requireDeclared) {
    Claim own = Claim.of(endpoint);
    List<Claim> claims = new ArrayList<>();
    claims.add(own);
    for (InferenceEndpoint other : all) {
      Claim c = Claim.of(other);
      if (!(c.namespace().equals(own.namespace()) && c.name().equals(own.name()))) {
        claims.add(c);
      }
    }
    AccessSpec access =
        endpoint.getSpec().getAccess() == null ? new AccessSpec() : endpoint.getSpec().getAccess();
    AllowedProjects allowed = AllowedProjects.of(declaredProjects, requireDeclared);
    return new Tenancy(
        own,
        ServedNames.of(claims).verdict(own),
        allowed,
        allowed.grant(
            access.isPublic(), access.getProjects() == null ? List.of() : access.getProjects()));
  }
}
