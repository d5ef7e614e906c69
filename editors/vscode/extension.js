// Starts `plancheck lsp` (the setting plancheck.command) for *.rules files and connects
// VS Code to it: diagnostics, hover, completion, go to definition, formatting, and a code
// lens on each rule that runs its cases.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("plancheck")
    .get("command", ["plancheck", "lsp"]);
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient(
    "plancheck",
    "plancheck rules",
    server,
    { documentSelector: [{ scheme: "file", language: "plancheck-rules" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
