package io.dormouse.cli;

import io.dormouse.cli.report.CostCommand;
import io.dormouse.cli.report.UsageCommand;
import io.dormouse.gateway.auth.KeysMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dormouse keys|usage|cost}: the platform team's command line. */
@Command(
    name = "dormouse",
    mixinStandardHelpOptions = true,
    description = "Dormouse: API keys, and usage and cost from the ledger.",
    subcommands = {KeysMain.class, UsageCommand.class, CostCommand.class})
public final class DormouseMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
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
