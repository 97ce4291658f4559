// The playground in real Chromium (Debian's /usr/bin/chromium driven by
// playwright-core), served by our static server on 127.0.0.1: loads the example
// fleet, types an undefined ${var} into a strictly substituted manifest and checks the
// located diagnostic and the marked line, checks that the graph shows every
// Kustomization of the plan, that the share link round-trips the files, and that the
// file tabs work from the keyboard. Screenshots go to $CARGO_TARGET_DIR/playground
// (or target/playground).
//
// Needs the browser build of the WASM package (bindings/wasm/web, from
// bindings/wasm/build.sh). Without it or without Chromium the test prints SKIPPED,
// except in CI (CI=true), where that is a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startServer } from '../server.mjs';
import { bundleFleet } from '../bundle-fleet.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// ../shared/docs/toolchain.md §7
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const targetDir = path.resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
const outDir = path.join(targetDir, 'playground');
const webDir = path.join(root, 'bindings/wasm/web');

const missing = [];
if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (apt-get install -y chromium)`);
if (!existsSync(webDir) || !readdirSync(webDir).some((f) => f.endsWith('.wasm'))) {
  missing.push('bindings/wasm/web/*.wasm (bash bindings/wasm/build.sh)');
}
if (missing.length && process.env.CI === 'true') {
  throw new Error(`browser test: missing ${missing.join(', ')}`);
}
const skip = missing.length ? `SKIPPED: missing ${missing.join(', ')}` : false;
if (skip) console.log(`playground browser test ${skip}`);

let server;
let browser;
let page;
const consoleErrors = [];

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  await bundleFleet();
  server = await startServer({ root });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  mkdirSync(outDir, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const PAGE = () => `${server.url}bindings/wasm/playground/`;

async function waitForPlan(p, minAnalyses = 1) {
  await p.waitForFunction((n) => window.playground?.plan && window.playground.analyses >= n, minAnalyses, { timeout: 60_000 });
  return p.evaluate(() => window.playground.plan);
}

function tabSelector(file) {
  return `#file-tabs [role=tab][data-path="${file}"]`;
}

test('the example fleet is planned in the page', { skip }, async () => {
  await page.goto(PAGE());
  const plan = await waitForPlan(page);
  assert.ok(plan.kustomizations.length > 0, 'the example fleet has Kustomizations');
  const files = await page.evaluate(() => window.playground.files());
  assert.equal(plan.stats.files, Object.keys(files).filter((f) => /\.ya?ml$/.test(f)).length);
  // One tab per file, the diagnostics list matches the plan.
  assert.equal(await page.locator('#file-tabs [role=tab]').count(), Object.keys(files).length);
  assert.equal(await page.locator('#diagnostics-list > li').count(), Math.max(1, plan.diagnostics.length));
  const timing = await page.evaluate(() => ({ engine: window.playground.engineMs, plan: window.playground.planMs }));
  console.log(`playground: engine loaded in ${timing.engine.toFixed(0)} ms, plan of ${Object.keys(files).length} files in ${timing.plan.toFixed(1)} ms`);
  assert.deepEqual(consoleErrors, []);
});

test('an undefined ${var} typed into a strictly substituted manifest is diagnosed on its line', { skip }, async () => {
  const plan = await page.evaluate(() => window.playground.plan);
  const files = await page.evaluate(() => window.playground.files());
  // A Kustomization with postBuild substitution, and a file it applies (taken from the plan).
  const ks = plan.kustomizations.find((k) => k.variables.length > 0 && k.objects.some((o) => o.file && files[o.file]));
  assert.ok(ks, 'some Kustomization of the example substitutes variables');
  const target = ks.objects.find((o) => o.file && files[o.file]);
  const file = target.file;
  const ns = target.namespace ?? 'default';
  const variable = 'playground_undefined_var';
  assert.ok(!ks.variables.some((v) => v.name === variable));
  const before = plan.diagnostics.filter((d) => d.code === 'subst.undefined' && d.file === file);
  assert.deepEqual(before, []);

  await page.click(tabSelector(file));
  assert.equal(await page.inputValue('#file-path'), file);
  const original = files[file];
  const added = `${original.endsWith('\n') ? '' : '\n'}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: playground-probe\n  namespace: ${ns}\ndata:\n  greeting: hello-\${${variable}}\n`;
  const line = (original + added).split('\n').findIndex((l) => l.includes(variable)) + 1;
  const analyses = await page.evaluate(() => window.playground.analyses);
  await page.focus('#source');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(added, { delay: 0 });
  assert.equal(await page.inputValue('#source'), original + added);

  const after = await waitForPlan(page, analyses + 1);
  const diag = after.diagnostics.find((d) => d.code === 'subst.undefined' && d.file === file && d.message.includes(variable));
  assert.ok(diag, `a subst.undefined diagnostic for ${variable} in ${file}`);
  assert.equal(diag.severity, 'error');
  assert.equal(diag.line, line, 'the diagnostic points at the line with the ${var}');
  // In the problems of this file, in the diagnostics view, marked in the gutter and over the text.
  await page.waitForSelector(`#file-problems li[data-code="subst.undefined"][data-line="${line}"]`);
  const listed = page.locator(`#diagnostics-list li[data-code="subst.undefined"][data-file="${file}"][data-line="${line}"]`);
  await listed.waitFor();
  assert.match(await listed.innerText(), new RegExp(`${file}:${line}:\\d+`));
  assert.match(await listed.innerText(), new RegExp(variable));
  const gutter = page.locator(`#gutter [data-line="${line}"]`);
  assert.match(await gutter.getAttribute('class'), /\bsev-error\b/);
  assert.match(await gutter.getAttribute('title'), /subst\.undefined/);
  assert.equal(await page.locator(`#marks [data-line="${line}"].sev-error`).count(), 1);
  // Other lines stay unmarked.
  assert.equal(await page.locator('#gutter .sev-error').count(), new Set(after.diagnostics.filter((d) => d.file === file && d.severity === 'error').map((d) => d.line)).size);
  // The live status counts it.
  assert.match(await page.innerText('#status'), /[1-9]\d* errors?/);
  // Its tab carries an error badge.
  assert.match(await page.innerText(`${tabSelector(file)} .badge.error`), /^[1-9]/);
  // Clicking the diagnostic moves the caret to its line.
  await page.click(`#file-problems li[data-line="${line}"] .loc`);
  const caretLine = await page.evaluate(() => {
    const t = document.getElementById('source');
    return t.value.slice(0, t.selectionStart).split('\n').length;
  });
  assert.equal(caretLine, line);
  await page.screenshot({ path: path.join(outDir, 'playground-diagnostic.png') });
});

test('the graph view draws every Kustomization of the plan in its wave', { skip }, async () => {
  const plan = await page.evaluate(() => window.playground.plan);
  await page.click('#tab-graph');
  assert.equal(await page.getAttribute('#tab-graph', 'aria-selected'), 'true');
  await page.waitForSelector('#graph-svg');
  const waveOf = new Map();
  plan.waves.kustomizations.forEach((w, i) => w.forEach((id) => waveOf.set(id, i)));
  for (const k of plan.kustomizations) {
    const name = k.id.slice(k.id.indexOf('/') + 1);
    const node = page.locator(`#graph-svg g.node[data-id="${k.id}"]`);
    assert.equal(await node.count(), 1, `a node for ${k.id}`);
    assert.equal(await node.locator('text').textContent(), name);
    if (waveOf.has(k.id)) {
      assert.match(await node.getAttribute('aria-label'), new RegExp(`, wave ${waveOf.get(k.id)}\\b`));
    }
  }
  const edges = plan.kustomizations.reduce((n, k) => n + k.dependsOn.length, 0);
  assert.equal(await page.locator('#graph-svg path.edge').count(), edges);
  await page.screenshot({ path: path.join(outDir, 'playground-graph.png'), fullPage: false });
  console.log(`playground: screenshots in ${outDir}`);
});

test('the share link round-trips the files', { skip }, async () => {
  const files = await page.evaluate(() => window.playground.files());
  await page.click('#share');
  await page.waitForFunction(() => document.getElementById('share-url').value.includes('#files='));
  const url = await page.inputValue('#share-url');
  assert.ok(url.startsWith(PAGE()), url);
  const other = await page.context().newPage();
  try {
    await other.goto(url);
    const plan = await waitForPlan(other);
    assert.deepEqual(await other.evaluate(() => window.playground.files()), files);
    assert.ok(plan.diagnostics.some((d) => d.code === 'subst.undefined'), 'the shared files carry the edit');
    console.log(`playground: share link of ${Object.keys(files).length} files is ${url.length} characters`);
  } finally {
    await other.close();
  }
});

test('no serious or critical accessibility violations in any view (axe-core)', { skip }, async () => {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const views = await page.$$eval('#view-tabs [role=tab]', (tabs) => tabs.map((t) => t.dataset.view));
  assert.ok(views.length >= 6);
  const found = [];
  for (const view of views) {
    await page.click(`#tab-${view}`);
    // Open the lazily filled sections too.
    await page.$$eval(`#view-${view} details`, (ds) => ds.forEach((d) => (d.open = true)));
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    found.push(...violations.map((v) => `${view}: ${v}`));
  }
  assert.deepEqual(found, []);
});

test('file tabs and view tabs work from the keyboard', { skip }, async () => {
  const tabs = page.locator('#file-tabs [role=tab]');
  await page.focus('#file-tabs [role=tab][aria-selected=true]');
  const first = await page.getAttribute('#file-tabs [role=tab][aria-selected=true]', 'data-path');
  await page.keyboard.press('Home');
  const home = await tabs.first().getAttribute('data-path');
  assert.equal(await page.inputValue('#file-path'), home);
  await page.keyboard.press('ArrowDown');
  const second = await tabs.nth(1).getAttribute('data-path');
  assert.equal(await page.getAttribute(`#file-tabs [role=tab][data-path="${second}"]`, 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), second);
  assert.equal(await page.getAttribute('#editor-panel', 'aria-labelledby'), await tabs.nth(1).getAttribute('id'));
  assert.ok(first);
  await page.focus('#tab-graph');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-releases', 'aria-selected'), 'true');
  assert.equal(await page.isVisible('#view-releases'), true);
  assert.equal(await page.isVisible('#view-graph'), false);
  assert.deepEqual(consoleErrors, []);
});
