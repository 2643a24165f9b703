package io.dormouse.cli;

import io.dormouse.cli.report.CostCommand;
import io.dormouse.cli.report.UsageCommand;
import io.dormouse.cli.webhook.WebhookCommand;
import io.dormouse.gateway.auth.KeysMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dormouse keys|usage|cost|webhook}: the platform team's command line. */
@Command(
    name = "dormouse",
    mixinStandardHelpOptions = true,
    description = "Dormouse: API keys, usage and cost from the ledger, webhook verification.",
    subcommands = {KeysMain.class, UsageCommand.class, CostCommand.class, WebhookCommand.class})
public final class DormouseMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Standard output carries keys and reports only: logs go to stderr, warnings and errors only
    // (the configuration of the gateway's keys command, which this command embeds).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "dormouse-keys-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new DormouseMain());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
