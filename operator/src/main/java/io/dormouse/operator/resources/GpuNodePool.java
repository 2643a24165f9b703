package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.DisruptionBudget;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.NodeRequirement;
import io.dormouse.api.v1alpha1.NodeTaint;
import io.dormouse.api.v1alpha1.TierNodePool;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sh.karpenter.v1.NodePool;
import sh.karpenter.v1.NodePoolSpec;
import sh.karpenter.v1.nodepoolspec.Disruption;
import sh.karpenter.v1.nodepoolspec.Template;
import sh.karpenter.v1.nodepoolspec.disruption.Budgets;
import sh.karpenter.v1.nodepoolspec.template.Metadata;
import sh.karpenter.v1.nodepoolspec.template.Spec;
import sh.karpenter.v1.nodepoolspec.template.spec.NodeClassRef;
import sh.karpenter.v1.nodepoolspec.template.spec.Requirements;
import sh.karpenter.v1.nodepoolspec.template.spec.Taints;

/**
 * The Karpenter {@code karpenter.sh/v1} NodePool the operator owns for a tier with {@code
 * spec.nodePool}: GPU nodes of the tier's capacity type, labelled with the tier, tainted as the
 * tier says, capped at {@code maxGpus} GPUs, removed once empty for {@code nodeIdleTimeout}. Which
 * of its fields are the operator's and which the platform team's: {@link NodePoolOwnership}.
 */
public final class GpuNodePool {

  /** Karpenter's well-known label of how a node was bought. */
  public static final String CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";

  public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

  /** Karpenter's own default budget, written out so that Karpenter's defaulting changes nothing. */
  static final String DEFAULT_BUDGET_NODES = "10%";

  private GpuNodePool() {}

  public static NodePool build(GpuTier tier) {
    String name = tier.getMetadata().getName();
    GpuTierSpec spec = tier.getSpec();
    TierNodePool pool = spec.getNodePool();
    NodePool nodePool = new NodePool();
    nodePool.setMetadata(
        new ObjectMetaBuilder()
            .withName(Wiring.nodePoolName(name))
            .withLabels(labels(name))
            .withOwnerReferences(ownerReference(tier))
            .build());
    NodePoolSpec nodePoolSpec = new NodePoolSpec();
    nodePoolSpec.setTemplate(template(name, spec, pool));
    nodePoolSpec.setLimits(limits(spec));
    nodePoolSpec.setDisruption(disruption(pool));
    nodePool.setSpec(nodePoolSpec);
    return nodePool;
  }

  /** The labels on the NodePool itself; its nodes carry {@link Wiring#LABEL_TIER} too. */
  static Map<String, String> labels(String tier) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Wiring.LABEL_TIER, tier);
    labels.put(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE);
    return labels;
  }

  public static OwnerReference ownerReference(GpuTier tier) {
    return new OwnerReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(GpuTier.class))
        .withKind(HasMetadata.getKind(GpuTier.class))
        .withName(tier.getMetadata().getName())
        .withUid(tier.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Karpenter's value of {@code karpenter.sh/capacity-type} for a capacity type. */
  public static String capacityTypeValue(CapacityType type) {
    return switch (type) {
      case SPOT -> "spot";
      case ON_DEMAND -> "on-demand";
      case RESERVED -> "reserved";
    };
  }

  private static Template template(String tier, GpuTierSpec spec, TierNodePool pool) {
    Metadata metadata = new Metadata();
    metadata.setLabels(new LinkedHashMap<>(Map.of(Wiring.LABEL_TIER, tier)));
    NodeClassRef nodeClass = new NodeClassRef();
    nodeClass.setGroup(pool.getNodeClassRef().getGroup());
    nodeClass.setKind(pool.getNodeClassRef().getKind());
    nodeClass.setName(pool.getNodeClassRef().getName());
    Spec nodeSpec = new Spec();
    nodeSpec.setNodeClassRef(nodeClass);
    nodeSpec.setRequirements(requirements(spec, pool));
    nodeSpec.setTaints(taints(pool));
    // The platform team's field (NodePoolOwnership); Karpenter's default, left unset here.
    nodeSpec.setExpireAfter(null);
    Template template = new Template();
    template.setMetadata(metadata);
    template.setSpec(nodeSpec);
    return template;
  }

  static List<Requirements> requirements(GpuTierSpec spec, TierNodePool pool) {
    List<Requirements> requirements = new ArrayList<>();
    requirements.add(
        requirement(
            CAPACITY_TYPE_LABEL,
            Requirements.Operator.IN,
            List.of(capacityTypeValue(spec.getCapacityType())),
            null));
    if (pool.getInstanceTypes() != null && !pool.getInstanceTypes().isEmpty()) {
      requirements.add(
          requirement(
              INSTANCE_TYPE_LABEL, Requirements.Operator.IN, pool.getInstanceTypes(), null));
    }
    if (pool.getGpuProductLabel() != null && spec.getGpuProduct() != null) {
      requirements.add(
          requirement(
              pool.getGpuProductLabel(),
              Requirements.Operator.IN,
              List.of(spec.getGpuProduct()),
              null));
    }
    if (pool.getRequirements() != null) {
      for (NodeRequirement r : pool.getRequirements()) {
        requirements.add(
            requirement(
                r.getKey(),
                operator(r.getOperator()),
                r.getValues(),
                r.getMinValues() == null ? null : r.getMinValues().longValue()));
      }
    }
    return requirements;
  }

  private static Requirements requirement(
      String key, Requirements.Operator operator, List<String> values, Long minValues) {
    Requirements r = new Requirements();
    r.setKey(key);
    r.setOperator(operator);
    r.setValues(values == null || values.isEmpty() ? null : List.copyOf(values));
    r.setMinValues(minValues);
    return r;
  }

  private static Requirements.Operator operator(NodeRequirement.Operator operator) {
    for (Requirements.Operator o : Requirements.Operator.values()) {
      if (o.getValue().equals(operator.name())) {
        return o;
      }
    }
    throw new IllegalArgumentException("Karpenter has no requirement operator " + operator);
  }

  private static List<Taints> taints(TierNodePool pool) {
    if (pool.getTaints() == null || pool.getTaints().isEmpty()) {
      return null;
    }
    List<Taints> taints = new ArrayList<>();
    for (NodeTaint t : pool.getTaints()) {
      Taints taint = new Taints();
      taint.setKey(t.getKey());
      taint.setValue(t.getValue() == null || t.getValue().isEmpty() ? null : t.getValue());
      taint.setEffect(effect(t.getEffect()));
      taints.add(taint);
    }
    return taints;
  }

  private static Taints.Effect effect(NodeTaint.Effect effect) {
    for (Taints.Effect e : Taints.Effect.values()) {
      if (e.getValue().equals(effect.name())) {
        return e;
      }
    }
    throw new IllegalArgumentException("Karpenter has no taint effect " + effect);
  }

  /** The pool may hold at most {@code maxGpus} GPUs; no limit without a cap. */
  private static Map<String, IntOrString> limits(GpuTierSpec spec) {
    if (spec.getMaxGpus() == null) {
      return null;
    }
    Map<String, IntOrString> limits = new LinkedHashMap<>();
    limits.put(spec.getGpuResource(), new IntOrString(spec.getMaxGpus()));
    return limits;
  }

  /**
   * Only empty nodes go, after the idle timeout: a node running an engine is never consolidated
   * away (engine pods also carry karpenter.sh/do-not-disrupt).
   */
  private static Disruption disruption(TierNodePool pool) {
    Disruption disruption = new Disruption();
    disruption.setConsolidationPolicy(Disruption.ConsolidationPolicy.WHENEMPTY);
    disruption.setConsolidateAfter(pool.getNodeIdleTimeout());
    List<Budgets> budgets = new ArrayList<>();
    if (pool.getDisruptionBudgets() == null || pool.getDisruptionBudgets().isEmpty()) {
      Budgets budget = new Budgets();
      budget.setNodes(DEFAULT_BUDGET_NODES);
      budgets.add(budget);
    } else {
      for (DisruptionBudget b : pool.getDisruptionBudgets()) {
        Budgets budget = new Budgets();
        budget.setNodes(b.getNodes());
        budget.setSchedule(b.getSchedule());
        budget.setDuration(b.getDuration());
        if (b.getReasons() != null && !b.getReasons().isEmpty()) {
          budget.setReasons(b.getReasons().stream().map(GpuNodePool::reason).toList());
        }
        budgets.add(budget);
      }
    }
    disruption.setBudgets(budgets);
    return disruption;
  }

  private static Budgets.Reasons reason(DisruptionBudget.Reason reason) {
    for (Budgets.Reasons r : Budgets.Reasons.values()) {
      if (r.getValue().equals(reason.name())) {
        return r;
      }
    }
    throw new IllegalArgumentException("Karpenter has no disruption reason " + reason);
  }
}
