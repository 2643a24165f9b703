package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No container engine runs here, so the images are not built in tests; what is checked is that each
 * Dockerfile fits the chart (user, ports) and the module's packaged layout.
 */
class ImagesTest {

  @ParameterizedTest
  @ValueSource(strings = {"operator", "gateway"})
  void dockerfileRunsAsTheChartsUserAndExposesTheChartsPorts(String component) throws IOException {
    List<String> lines = dockerfile(component);
    PodSpec pod =
        Chart.render(ValueSet.DEFAULTS)
            .one("Deployment", "dormouse-" + component, Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(instruction(lines, "USER"))
        .containsExactly(
            container.getSecurityContext().getRunAsUser()
                + ":"
                + container.getSecurityContext().getRunAsGroup());
    assertThat(instruction(lines, "EXPOSE").stream().map(Integer::valueOf))
        .containsExactlyInAnyOrderElementsOf(
            container.getPorts().stream().map(ContainerPort::getContainerPort).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "gateway"})
  void dockerfileCopiesThePackagedJarAndItsLibrariesAndRunsTheJar(String component)
      throws IOException {
    List<String> lines = dockerfile(component);
    String jar = "dormouse-" + component + ".jar";

    assertThat(lines)
        .contains(
            "COPY " + component + "/target/lib/ /app/lib/",
            "COPY " + component + "/target/" + jar + " /app/" + jar);
    assertThat(String.join("\n", lines)).contains("\"-jar\", \"/app/" + jar + "\"]");
    assertThat(instruction(lines, "FROM")).singleElement().asString().contains("nonroot");
    assertThat(Files.readString(images().resolve(component + "/Dockerfile.dockerignore")))
        .contains("!" + component + "/target/" + jar, "!" + component + "/target/lib/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "gateway"})
  void moduleBuildLaysOutWhatTheDockerfileCopies(String component) throws Exception {
    var pom =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(images().getParent().resolve(component + "/pom.xml").toFile());
    var xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();

    assertThat(xpath.evaluate("/project/artifactId", pom)).isEqualTo("dormouse-" + component);
    assertThat(xpath.evaluate("/project/build/finalName", pom)).isEqualTo("${project.artifactId}");
    assertThat(xpath.evaluate("//archive/manifest/classpathPrefix", pom)).isEqualTo("lib/");
    assertThat(xpath.evaluate("//archive/manifest/addClasspath", pom)).isEqualTo("true");
    assertThat(xpath.evaluate("//archive/manifest/mainClass", pom))
        .startsWith("io.dormouse." + component + ".");
    assertThat(
            xpath.evaluate(
                "//execution[goals/goal='copy-dependencies']/configuration/outputDirectory", pom))
        .isEqualTo("${project.build.directory}/lib");
  }

  private static List<String> instruction(List<String> lines, String name) {
    return lines.stream()
        .filter(l -> l.startsWith(name + " "))
        .flatMap(l -> Arrays.stream(l.substring(name.length()).trim().split("\\s+")))
        .toList();
  }

  private static List<String> dockerfile(String component) throws IOException {
    return Files.readAllLines(images().resolve(component + "/Dockerfile"));
  }

  private static Path images() {
    return Chart.dir().getParent().getParent().resolve("images");
  }
}
