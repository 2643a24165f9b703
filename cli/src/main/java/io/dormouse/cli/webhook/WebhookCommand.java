package io.dormouse.cli.webhook;

import picocli.CommandLine.Command;

/** {@code dormouse webhook ...}. */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    description = "Webhook deliveries: check a saved one against its signing secret.",
    subcommands = {VerifyCommand.class})
public final class WebhookCommand {}
