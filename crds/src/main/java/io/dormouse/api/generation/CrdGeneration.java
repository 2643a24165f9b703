package io.dormouse.api.generation;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRD YAML from the Java types at build time (Maven's process-classes phase), as
 * Fabric8's CRD generator does, with one difference: printer columns keep the order their
 * {@code @AdditionalPrinterColumn} annotations are declared in. The generator itself sorts them by
 * JSON path, which would put AGE first and PHASE after LAST-ACTIVITY in {@code kubectl get ie}.
 *
 * <p>Not used at run time; the CRD generator is a provided dependency.
 */
public final class CrdGeneration {

  static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(InferenceEndpoint.class, GpuTier.class, io.dormouse.api.v1alpha1.Webhook.class);

  private CrdGeneration() {}

  /**
   * @param args the output directory, e.g. target/classes/META-INF/fabric8
   */
  public static void main(String[] args) {
    File out = new File(args.length > 0 ? args[0] : "target/classes/META-INF/fabric8");
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .customResourceClasses(KINDS.toArray(Class[]::new))
            .forCRDVersions("v1")
            .withPostProcessor(
                new CRDPostProcessor() {
                  @Override
                  public HasMetadata process(HasMetadata crd, String specVersion) {
                    return declaredColumnOrder(crd);
                  }
                })
            .inOutputDir(out)
            .generate();
    if (written != KINDS.size()) {
      throw new IllegalStateException("generated " + written + " CRDs, expected " + KINDS.size());
    }
  }

  /** Puts each version's printer columns back in the order the annotations declare them. */
  static HasMetadata declaredColumnOrder(HasMetadata generated) {
    CustomResourceDefinition crd = (CustomResourceDefinition) generated;
    List<String> declared =
        KINDS.stream()
            .filter(k -> kind(k).equals(crd.getSpec().getNames().getKind()))
            .findFirst()
            .map(CrdGeneration::declaredColumns)
            .orElse(List.of());
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      }
    }
    return crd;
  }

  static List<String> declaredColumns(Class<?> kind) {
    return Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }

  private static String kind(Class<?> type) {
    io.fabric8.kubernetes.model.annotation.Kind kind =
        type.getAnnotation(io.fabric8.kubernetes.model.annotation.Kind.class);
    return kind == null ? type.getSimpleName() : kind.value();
  }
}
