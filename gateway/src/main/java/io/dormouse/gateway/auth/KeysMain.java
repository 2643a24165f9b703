package io.dormouse.gateway.auth;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keys create --project P}: mints a key, prints it once with its Secret, or applies it. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage Dormouse API keys.",
    subcommands = KeysMain.Create.class)
public final class KeysMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before anything logs: standard output carries the key only (the Fabric8 client would
    // otherwise log DEBUG lines around it through logback's default configuration).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "dormouse-keys-logback.xml");
    }
    System.exit(new CommandLine(new KeysMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Mint a key for a project. The key is printed once; only its SHA-256 is stored.")
  static final class Create implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--project",
        required = true,
        description = "Project the key belongs to (a lowercase DNS label).")
    String project;

    @Option(
        names = "--namespace",
        defaultValue = "${env:DORMOUSE_GATEWAY_NAMESPACE:-dormouse-system}",
        description =
            "The gateway's namespace, where key Secrets live (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
        names = "--apply",
        description = "Create the Secret with the current kubeconfig instead of printing it.")
    boolean apply;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (!project.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") || project.length() > 63) {
        spec.commandLine().getErr().println("--project must be a lowercase DNS label");
        return 2;
      }
      ApiKey key = ApiKeys.mint();
      Secret secret = KeySecrets.secretFor(key, project, namespace);
      out.println(
          "# API key for project "
              + project
              + " (shown once; store it now). Clients send: Authorization: Bearer <key>");
      if (apply) {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
          client.resource(secret).create();
        }
        // Standard output is the key alone on its last line; what was done goes to stderr.
        out.println(key.secret());
        out.flush();
        spec.commandLine()
            .getErr()
            .println(
                "created Secret "
                    + namespace
                    + "/"
                    + secret.getMetadata().getName()
                    + " (key id "
                    + key.keyId()
                    + ")");
      } else {
        // The Secret's YAML to review and apply; the key stays a comment in it.
        out.println("# " + key.secret());
        out.print(Serialization.asYaml(secret));
      }
      out.flush();
      return 0;
    }
  }
}
