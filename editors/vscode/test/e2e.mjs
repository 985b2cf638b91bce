// The extension tested inside a real VS Code: code-server (VS Code 1.100's
// workbench and extension host) driven by Debian's Chromium with
// playwright-core. scripts/test-editors.sh installs everything and runs:
//
//   CODE_SERVER=…/node_modules/.bin/code-server AAM_BIN=target/debug/aam \
//   AAM_VSIX=target/editors/aam-linux-x64.vsix node editors/vscode/test/e2e.mjs
//
// Optional: CHROMIUM (default /usr/bin/chromium), AAM_E2E_SCREENSHOT (where
// the screenshot goes; default target/editors/vscode-e2e.png),
// AAM_E2E_TIMEOUT_MS (one wait, default 30000), AAM_E2E_KEEP=1 (keep the
// scratch directory).
//
// It installs the platform .vsix (scripts/package-vscode.sh: the extension
// with its own aam binary), starts code-server with no aam on PATH and no
// aam.server.path, opens a scratch copy of examples/harbour-report.aam
// and checks what a user sees: squiggles, the Problems panel's codes (the
// same as `aam check` reports), a hover on a reference with the citation,
// a quick fix that applies, the renumber command, and the clear error when
// the server binary is missing. Prints `ok -`/`not ok -` per case and
// `N passed, N failed`; exits 1 when a case failed.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const env = (name, fallback) => process.env[name] ?? fallback ?? fail(`set ${name}`);
const CODE_SERVER = env('CODE_SERVER');
const AAM_BIN = path.resolve(env('AAM_BIN'));
const VSIX = path.resolve(env('AAM_VSIX'));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const SCREENSHOT = path.resolve(env('AAM_E2E_SCREENSHOT', path.join(repo, 'target', 'editors', 'vscode-e2e.png')));
const TIMEOUT = Number(env('AAM_E2E_TIMEOUT_MS', '30000'));
const ARTICLE = 'harbour-report.aam';
const BIBLIOGRAPHY = 'harbour-sources.bib';

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------- the cases

let passed = 0;
let failed = 0;
/** The workbench page, once open: a failed case leaves a screenshot of it. */
let currentPage;

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return true;
  } catch (err) {
    failed += 1;
    log(`not ok - ${name}`);
    if (currentPage !== undefined) {
      const shot = SCREENSHOT.replace(/\.png$/, `-failure-${failed}.png`);
      await currentPage.screenshot({ path: shot }).then(
        () => log(`#   screenshot of the failure: ${shot}`),
        () => {},
      );
    }
    for (const line of String(err?.stack ?? err).replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 16)) {
      log(`#   ${line}`);
    }
    return false;
  }
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// --------------------------------------------------------------- processes

let server;
let scratch;
let machineSettings;

function killServer() {
  if (server?.pid !== undefined && server.exitCode === null) {
    // code-server leaves file watchers behind: end its whole process group.
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && groupAlive(server.pid)) {
      spawnSync('sleep', ['0.1']);
    }
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {}
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function cleanup() {
  killServer();
  if (scratch !== undefined && process.env.AAM_E2E_KEEP !== '1') {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(1));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, logFile) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`code-server exited with ${server.exitCode}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${url} within 90 s:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/** PATH without the directories that hold an `aam`, so that only the
 * extension's own binary can be found. */
function pathWithoutAam() {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  return dirs.filter((dir) => dir !== '' && !fs.existsSync(path.join(dir, 'aam'))).join(path.delimiter);
}

/** The command lines of the running processes whose program is named `aam`. */
function serverCommandLines() {
  const lines = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
      if (argv.length > 0 && path.basename(argv[0]) === 'aam') {
        lines.push(argv);
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return lines;
}

function cliDiagnostics(file) {
  const result = spawnSync(AAM_BIN, ['check', '--output-format', 'json', file], { encoding: 'utf8', timeout: 30_000 });
  assert(result.status === 0 || result.status === 1, `aam check failed (${result.status ?? result.signal ?? result.error}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

// ------------------------------------------------------------ the workbench

/** Opens a quick input (command palette, Go to Line, Quick Open) with `key`. */
async function openQuickInput(page, key) {
  const input = page.locator('.quick-input-widget input');
  for (let tries = 0; tries < 3; tries += 1) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      return input;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`${key} opened no quick input`);
}

/** Runs a command from the palette by its title. */
async function runCommand(page, title) {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Focuses the editor by keyboard (a click may land on a hover or a toast). */
async function focusEditor(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').first().waitFor({ state: 'attached', timeout: TIMEOUT });
}

/** Moves the focus in a list widget down to the row labelled `label` and accepts it. */
async function selectFocusedRow(page, widget, label) {
  for (let tries = 0; tries < 20; tries += 1) {
    const focused = await widget.locator('.monaco-list-row.focused').getAttribute('aria-label', { timeout: TIMEOUT });
    if (focused === label) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus ${label}`);
}

/** Sets a setting in the Settings editor's Remote tab (code-server's machine settings). */
async function setRemoteSetting(page, key, value) {
  const input = page.locator(`.settings-editor .setting-item-contents[data-key="${key}"] input`);
  if (!(await input.isVisible())) {
    await runCommand(page, 'Preferences: Open Remote Settings (');
    await page.locator('.settings-editor').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(key);
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  }
  await input.fill(value);
  await page.keyboard.press('Tab');
  const deadline = Date.now() + TIMEOUT;
  const written = () => {
    try {
      return JSON.parse(fs.readFileSync(machineSettings, 'utf8'))[key] === value;
    } catch {
      return false;
    }
  };
  while (Date.now() < deadline && !written()) {
    await page.waitForTimeout(100);
  }
  assert(written(), `${key} did not reach ${machineSettings}`);
}

/** Puts the cursor at a 1-based line and column (Go to Line). */
async function goTo(page, line, column) {
  const input = await openQuickInput(page, 'Control+G');
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** The rows of the Problems panel, as text. The list only renders the rows
 * in view, so it is scrolled through from the top. */
async function problems(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: TIMEOUT });
  }
  const list = panel.locator('.monaco-list').first();
  if (!(await list.isVisible())) {
    return []; // "No problems have been detected in the workspace."
  }
  const box = await list.boundingBox();
  if (box === null) {
    return []; // hidden since: the problems went away
  }
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -100_000);
  const seen = new Map();
  for (let page_ = 0; page_ < 100; page_ += 1) {
    const rows = await panel
      .locator('.monaco-list-row')
      .evaluateAll((elements) => elements.map((row) => [Number(row.getAttribute('data-index')), row.innerText]));
    const before = seen.size;
    for (const [index, text] of rows) {
      seen.set(index, text);
    }
    if (page_ > 0 && seen.size === before) {
      break;
    }
    await page.mouse.wheel(0, Math.max(100, box.height - 40));
    await page.waitForTimeout(50);
  }
  await page.mouse.wheel(0, -100_000);
  return [...seen.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
}

/** Waits until the Problems panel lists exactly `codes` (a sorted list). */
async function waitForProblemCodes(page, codes, what) {
  const deadline = Date.now() + TIMEOUT;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await problems(page);
    const shown = rows.flatMap((row) => row.match(/AAM\d{3}/g) ?? []).sort();
    if (JSON.stringify(shown) === JSON.stringify(codes)) {
      return rows;
    }
    await page.waitForTimeout(250);
  }
  const shown = rows.flatMap((row) => row.match(/AAM\d{3}/g) ?? []).sort();
  throw new Error(
    `${what}: the Problems panel shows the codes ${shown.join(', ')}, expected ${codes.join(', ')}; its rows:\n${rows.map((row) => row.replace(/\s*\n\s*/g, ' ')).join('\n')}`,
  );
}

/** Saves the active editor and reads the file once VS Code has written it
 * (the tab stops being dirty when the write has finished). */
async function saveAndRead(page, file) {
  const dirty = page.locator('.tabs-container .tab.active.dirty');
  if ((await dirty.count()) > 0) {
    await page.keyboard.press('Control+S');
    await dirty.waitFor({ state: 'detached', timeout: TIMEOUT });
  }
  return fs.readFileSync(file, 'utf8');
}

function writeUserSettings(userDir, settings) {
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

// -------------------------------------------------------------------- main

async function main() {
  for (const [what, file] of [
    ['CODE_SERVER', CODE_SERVER],
    ['AAM_BIN', AAM_BIN],
    ['AAM_VSIX', VSIX],
    ['CHROMIUM', CHROMIUM],
  ]) {
    assert(fs.existsSync(file), `${what}: ${file} does not exist`);
  }
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aam-vscode-e2e-'));
  const dataDir = path.join(scratch, 'data');
  const extensionsDir = path.join(scratch, 'extensions');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const article = path.join(workspace, ARTICLE);
  fs.copyFileSync(path.join(repo, 'examples', ARTICLE), article);
  // The bibliography the article's front matter names, beside it.
  fs.copyFileSync(path.join(repo, 'examples', BIBLIOGRAPHY), path.join(workspace, BIBLIOGRAPHY));
  const userDir = path.join(dataDir, 'User');
  machineSettings = path.join(dataDir, 'Machine', 'settings.json');
  // No aam.server.path and no aam on code-server's PATH: the extension must
  // start the binary its .vsix carries.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'editor.hover.delay': 100,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.title': 'AAM',
  };
  writeUserSettings(userDir, settings);
  const expected = cliDiagnostics(article);
  const expectedCodes = expected.map((d) => d.code).sort();

  let page;
  let browser;
  const ready = await step('install the .vsix and start code-server', async () => {
    const install = spawnSync(
      CODE_SERVER,
      ['--user-data-dir', dataDir, '--extensions-dir', extensionsDir, '--install-extension', VSIX],
      { encoding: 'utf8', timeout: 180_000 },
    );
    assert(install.status === 0, `--install-extension failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
    assert(fs.readdirSync(extensionsDir).some((name) => name.startsWith('aam.aam-')), 'the extension is not in the extensions directory');
    const port = await freePort();
    const logFile = path.join(scratch, 'code-server.log');
    const logFd = fs.openSync(logFile, 'w');
    server = spawn(
      CODE_SERVER,
      [
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', dataDir,
        '--extensions-dir', extensionsDir,
        workspace,
      ],
      { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, PATH: pathWithoutAam() } },
    );
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, logFile);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: TIMEOUT,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(TIMEOUT);
    currentPage = page;
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: TIMEOUT });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  });
  if (!ready) {
    return;
  }

  const opened = await step('open the article: language aam, TextMate colours', async () => {
    await page.locator('.explorer-folders-view, .monaco-workbench .part.sidebar').first().waitFor({ timeout: 60_000 });
    const input = await openQuickInput(page, 'Control+P');
    await input.fill(ARTICLE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: ARTICLE }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'The harbour expansion' }).first().waitFor({ state: 'visible' });
    // Hide the side bar: more room for the article (and a clearer screenshot).
    if (await page.locator('.part.sidebar').isVisible()) {
      await page.keyboard.press('Control+B');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    }
    const language = page.locator('.statusbar-item[id="status.editor.mode"]');
    await language.filter({ hasText: 'AAM' }).waitFor({ state: 'visible' });
    // A front matter key is coloured differently from plain text: only the
    // TextMate grammar colours it (the server's semantic tokens do not cover
    // front matter). Tokenizing is asynchronous: the first paint may be plain.
    const colour = (text) =>
      page.locator('.monaco-editor .view-line span span', { hasText: text }).first().evaluate((el) => getComputedStyle(el).color);
    const deadline = Date.now() + TIMEOUT;
    let plain;
    let key;
    do {
      await page.waitForTimeout(100);
      plain = await colour('Dock workers say');
      key = await colour('title');
    } while (plain === key && Date.now() < deadline);
    assert(plain !== key, `the front matter key is not highlighted (${key} like plain text)`);
  });
  if (!opened) {
    return;
  }

  await step('squiggles: errors and warnings in the editor', async () => {
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached' });
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached' });
  });

  await step('the server is the binary the .vsix carries (no aam on PATH, no aam.server.path)', async () => {
    const installed = fs.readdirSync(extensionsDir).find((name) => name.startsWith('aam.aam-'));
    const bundled = path.join(extensionsDir, installed, 'bin', 'aam');
    assert(fs.existsSync(bundled), `the installed extension has no ${bundled}`);
    const running = serverCommandLines();
    assert(
      running.some((argv) => argv[0] === bundled && argv[1] === 'lsp'),
      `no \`${bundled} lsp\` is running; aam processes:\n${running.map((argv) => argv.join(' ')).join('\n')}`,
    );
  });

  await step(`the Problems panel lists the codes aam check reports (${expectedCodes.join(', ')})`, async () => {
    const rows = await waitForProblemCodes(page, expectedCodes, 'after opening');
    const unresolved = expected.find((d) => d.code === 'AAM001');
    assert(unresolved !== undefined, 'aam check reports no AAM001 in the example');
    assert(
      rows.some((row) => row.includes('AAM001') && row.includes(`Ln ${unresolved.start.line}, Col ${unresolved.start.column}`)),
      `no AAM001 row at Ln ${unresolved.start.line}, Col ${unresolved.start.column}:\n${rows.join('\n')}`,
    );
  });

  await step('hover on [3] shows the citation', async () => {
    await focusEditor(page);
    const text = fs.readFileSync(article, 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('a third.[3]'));
    await goTo(page, line + 1, text[line].indexOf('a third.[3]') + 10);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: 'New cranes at the harbour' }).first();
    await hover.waitFor({ state: 'visible' });
    const shown = await hover.innerText();
    assert(shown.includes('Port Weekly'), `the hover does not name the publisher:\n${shown}`);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    log(`# screenshot: ${path.relative(process.cwd(), SCREENSHOT)}`);
    await page.keyboard.press('Escape');
  });

  await step('hover on [@okafor2023] shows the bibliography entry', async () => {
    await focusEditor(page);
    const text = fs.readFileSync(article, 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('[@okafor2023'));
    await goTo(page, line + 1, text[line].indexOf('[@okafor2023') + 4);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: 'Crane Automation in Mid-Sized Ports' }).first();
    await hover.waitFor({ state: 'visible' });
    const shown = await hover.innerText();
    assert(shown.includes('Journal of Port Studies'), `the hover does not name the journal:\n${shown}`);
    assert(shown.includes('doi.org/10.5555/jps.2023.114'), `the hover does not show the DOI link:\n${shown}`);
    await page.keyboard.press('Escape');
  });

  await step('a quick fix applies: add the missing note [8]', async () => {
    const unresolved = expected.find((d) => d.code === 'AAM001');
    await goTo(page, unresolved.start.line, unresolved.start.column + 1);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible' });
    const items = await menu.locator('.monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
    const fix = items.find((item) => /\[8\]/.test(item) && !/disable|suppress/i.test(item));
    assert(fix !== undefined, `no quick fix for [8] among:\n${items.join('\n')}`);
    await selectFocusedRow(page, menu, fix);
    await menu.waitFor({ state: 'hidden' });
    // The edit lands once the server has resolved it: wait for it before
    // saving (`saveAndRead` saves only a modified editor).
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'attached', timeout: TIMEOUT });
    const saved = await saveAndRead(page, article);
    assert(/^\[8\]/m.test(saved), `the saved article has no note [8]:\n${saved.slice(-600)}`);
    await page.keyboard.press('Escape');
    const rows = await problems(page);
    const deadline = Date.now() + TIMEOUT;
    let current = rows;
    while (Date.now() < deadline && current.some((row) => row.includes('AAM001'))) {
      await page.waitForTimeout(250);
      current = await problems(page);
    }
    assert(!current.some((row) => row.includes('AAM001')), `AAM001 is still listed after the fix:\n${current.join('\n')}`);
  });

  await step('AAM: Renumber Notes in Reading Order', async () => {
    // Swap notes 5 and 6 on disk (the editor reloads the clean file): now
    // [6] is cited first, and aam reports AAM004.
    const original = fs.readFileSync(article, 'utf8');
    const swapped = original.replace(/\[([56])\]/g, (_, n) => `[${n === '5' ? 6 : 5}]`);
    fs.writeFileSync(article, swapped);
    const before = cliDiagnostics(article);
    assert(before.some((d) => d.code === 'AAM004'), 'swapping notes 5 and 6 did not make aam report AAM004');
    await waitForProblemCodes(page, before.map((d) => d.code).sort(), 'after swapping notes 5 and 6 on disk');
    await focusEditor(page);
    await runCommand(page, 'AAM: Renumber Notes in Reading Order');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'attached' });
    const saved = await saveAndRead(page, article);
    const after = cliDiagnostics(article);
    assert(!after.some((d) => d.code === 'AAM004'), `aam check still reports AAM004 after renumbering:\n${saved}`);
    const bodies = (text) =>
      text
        .split('\n')
        .filter((line) => /^\[\d+\]/.test(line))
        .map((line) => line.replace(/^\[\d+\]\s*/, ''))
        .sort();
    assert(JSON.stringify(bodies(saved)) === JSON.stringify(bodies(swapped)), `renumbering lost or changed a note:\n${saved}`);
    await waitForProblemCodes(page, after.map((d) => d.code).sort(), 'after renumbering');
  });

  await step('a missing server binary: a clear error, then a restart when the path is fixed', async () => {
    // In code-server a machine-overridable setting lives in the Remote tab.
    const missing = path.join(scratch, 'no-such-aam');
    await setRemoteSetting(page, 'aam.server.path', missing);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: missing }).first();
    await toast.waitFor({ state: 'visible' });
    const message = await toast.innerText();
    assert(/aam\.server\.path/.test(message), `the error does not name the setting:\n${message}`);
    assert(/Installation Instructions/.test(message), `the error offers no installation instructions:\n${message}`);
    await waitForProblemCodes(page, [], 'with the server stopped');
    await setRemoteSetting(page, 'aam.server.path', AAM_BIN);
    await page.keyboard.press('Control+W');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached' });
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  await step('AAM: Restart Server brings the diagnostics back', async () => {
    const now = cliDiagnostics(article).map((d) => d.code).sort();
    await focusEditor(page);
    await runCommand(page, 'AAM: Restart Server');
    await waitForProblemCodes(page, now, 'after the restart');
  });

  await browser.close();
}

const watchdog = setTimeout(() => {
  log(`not ok - the whole test took longer than ${(TIMEOUT * 20) / 1000} s`);
  process.exit(1);
}, TIMEOUT * 20);
watchdog.unref();

try {
  await main();
} catch (err) {
  failed += 1;
  log(`not ok - ${String(err?.stack ?? err)}`);
}
log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
