// The AAM extension: starts `aam lsp` and stays thin. Everything an article
// needs (diagnostics, hovers, navigation, fixes) comes from the server; this
// file finds the binary, passes the settings, and adds three commands.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CodeAction,
  CodeActionRequest,
  CodeActionResolveRequest,
  Command,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'aam';
const CLIENT_NAME = 'AAM';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let extensionUri: vscode.Uri;
/** The server's settings as contributed in package.json, without the `aam.` prefix. */
let settingKeys: string[] = [];
/** Serialises starts and stops: a restart never overlaps another. */
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  extensionUri = context.extensionUri;
  const properties = context.extension.packageJSON?.contributes?.configuration?.properties ?? {};
  settingKeys = Object.keys(properties)
    .map((key) => key.replace(/^aam\./, ''))
    .filter((key) => !CLIENT_SETTINGS.has(key));
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('aam.restartServer', () => queue(restart)),
    vscode.commands.registerCommand('aam.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('aam.renumberNotes', renumberNotes),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('aam.server.path')) {
        output.appendLine('aam.server.path changed: restarting the server');
        void queue(restart);
      } else if (event.affectsConfiguration('aam') && client?.state === State.Running) {
        void client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
      }
    }),
  );
  void queue(start);
}

export function deactivate(): Thenable<void> | undefined {
  return queue(stop);
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    await running.dispose(2000);
  } catch (err) {
    output.appendLine(`stopping the server failed: ${String(err)}`);
  }
}

async function start(): Promise<void> {
  const server = findServer();
  if ('problem' in server) {
    output.appendLine(server.problem);
    void reportMissingServer(server.problem);
    return;
  }
  output.appendLine(`starting ${server.command} lsp`);
  const serverOptions: ServerOptions = {
    run: { command: server.command, args: ['lsp'] },
    debug: { command: server.command, args: ['lsp'] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'aam' },
      { scheme: 'untitled', language: 'aam' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/aam.toml'),
    },
    middleware: {
      workspace: {
        // A server that pulls its settings gets the same object as the
        // initializationOptions, not VS Code's raw `aam` section.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === 'aam' ? serverSettings(item.scopeUri) : answers[index],
          );
        },
      },
    },
  };
  const created = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = created;
  try {
    await created.start();
  } catch (err) {
    output.appendLine(`the server did not start: ${String(err)}`);
    void vscode.window.showErrorMessage(`AAM: the language server (${server.command} lsp) did not start: ${String(err)}`, 'Show Output').then(
      (choice) => choice === 'Show Output' && output.show(true),
    );
  }
}

/** `aam.server.path`, else `aam` on `PATH`. */
export function findServer(): { command: string } | { problem: string } {
  const configured = vscode.workspace.getConfiguration('aam').get<string>('server.path');
  if (configured) {
    const resolved = resolveConfiguredPath(configured);
    if (isExecutable(resolved)) {
      return { command: resolved };
    }
    return {
      problem: `The setting aam.server.path is "${configured}", but ${resolved} is not an executable file.`,
    };
  }
  // The platform-specific .vsix carries its binary, as rust-analyzer's and
  // ruff's do; the universal one does not, and PATH is asked next.
  const bundled = bundledServer();
  if (bundled !== undefined) {
    return { command: bundled };
  }
  const names = process.platform === 'win32' ? ['aam.exe', 'aam.cmd', 'aam'] : ['aam'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir !== '' && isExecutable(candidate)) {
        return { command: candidate };
      }
    }
  }
  return {
    problem: 'The aam language server was not found: this extension carries no binary for this platform, `aam` is not on PATH and the setting aam.server.path is not set.',
  };
}

/** `bin/aam` inside the extension, when the .vsix brought one. A zip may lose
 * the executable bit on the way; it is given back. */
function bundledServer(): string | undefined {
  const file = path.join(extensionUri.fsPath, 'bin', process.platform === 'win32' ? 'aam.exe' : 'aam');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  if (!isExecutable(file) && process.platform !== 'win32') {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      return undefined;
    }
  }
  return isExecutable(file) ? file : undefined;
}

function resolveConfiguredPath(configured: string): string {
  let resolved = configured.trim();
  if (resolved === '~' || resolved.startsWith('~/')) {
    resolved = path.join(os.homedir(), resolved.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder !== undefined) {
    resolved = resolved.replace('${workspaceFolder}', folder.uri.fsPath);
    if (!path.isAbsolute(resolved)) {
      resolved = path.join(folder.uri.fsPath, resolved);
    }
  }
  return resolved;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function reportMissingServer(problem: string): Promise<void> {
  const install = 'Installation Instructions';
  const settings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(
    `AAM: ${problem} Install it with \`pip install aam-lint\` (or \`cargo install --path .\` from the aam repository), or set aam.server.path.`,
    install,
    settings,
  );
  if (choice === install) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'README.md'));
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'aam.server.path');
  }
}

/** Settings that only the extension reads; every other `aam.*` setting is
 * sent to the server (tests/editors.rs checks them against aam.toml's). */
const CLIENT_SETTINGS = new Set(['server.path', 'trace.server']);

/** The settings in the shape of `aam.toml` (`aam.dates.date-order` becomes
 * `{"dates": {"date-order": …}}`), with only the values the user set: where
 * nothing is set the server's defaults and the nearest `aam.toml` apply. */
export function serverSettings(scopeUri?: string): Record<string, unknown> {
  const scope = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
  const config = vscode.workspace.getConfiguration('aam', scope);
  const settings: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value === undefined || value === null || value === '') {
      continue;
    }
    const parts = key.split('.');
    let table = settings;
    for (const part of parts.slice(0, -1)) {
      table = (table[part] ??= {}) as Record<string, unknown>;
    }
    table[parts[parts.length - 1]] = value;
  }
  return settings;
}

/** Runs the server's "renumber notes in reading order" source action. */
async function renumberNotes(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'aam') {
    void vscode.window.showInformationMessage('AAM: open an .aam article to renumber its notes.');
    return;
  }
  const running = client;
  if (running === undefined || running.state !== State.Running) {
    void vscode.window.showErrorMessage('AAM: the language server is not running.', 'Show Output').then(
      (choice) => choice === 'Show Output' && output.show(true),
    );
    return;
  }
  const document = editor.document;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const answer = await running.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: running.code2ProtocolConverter.asUri(document.uri) },
    range: { start: { line: 0, character: 0 }, end: { line: end.line, character: end.character } },
    context: { diagnostics: [], only: ['source'] },
  });
  const isRenumber = (item: Command | CodeAction): boolean =>
    /renumber/i.test(item.title) || ('kind' in item && item.kind !== undefined && /renumber/i.test(item.kind));
  const found = (answer ?? []).find(isRenumber);
  if (found === undefined) {
    void vscode.window.showInformationMessage('AAM: the notes are already numbered in reading order.');
    return;
  }
  let action: Command | CodeAction = found;
  if (CodeAction.is(action) && action.edit === undefined && action.command === undefined) {
    action = await running.sendRequest(CodeActionResolveRequest.type, action);
  }
  if (CodeAction.is(action)) {
    if (action.edit !== undefined) {
      const edit = await running.protocol2CodeConverter.asWorkspaceEdit(action.edit);
      await vscode.workspace.applyEdit(edit);
    }
    if (action.command !== undefined) {
      await running.sendRequest(ExecuteCommandRequest.type, {
        command: action.command.command,
        arguments: action.command.arguments,
      });
    }
  } else {
    await running.sendRequest(ExecuteCommandRequest.type, { command: action.command, arguments: action.arguments });
  }
}
