// fluxcd-core playground: the files of a fleet repository in tabs, planned by the
// WebAssembly build of fluxcd-core as you type. Everything runs in the page; the
// static server only serves files.
import { encodeFiles, decodeFiles } from './share.js';
import { graphSvg } from './graph.js';

/** The browser build of the WASM package (wasm-bindgen --target web). */
const ENGINE_URL = new URL('../web/fluxcd_core_wasm.js', import.meta.url);
/** The example fleet, bundled by bundle-fleet.mjs. */
const FLEET_URL = new URL('gen/fleet.json', import.meta.url);
const DEBOUNCE_MS = 250;
const VIEWS = ['diagnostics', 'objects', 'substitution', 'values', 'releases', 'graph'];
const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  fileTabs: $('file-tabs'),
  fileCount: $('file-count'),
  source: $('source'),
  gutter: $('gutter'),
  marks: $('marks'),
  filePath: $('file-path'),
  fileProblems: $('file-problems'),
  editorPanel: $('editor-panel'),
  viewTabs: $('view-tabs'),
  profiles: $('profiles'),
  shareOutput: $('share-output'),
  shareUrl: $('share-url'),
  drop: $('drop-overlay'),
};

const state = {
  engine: null,
  /** path -> text, in tab order */
  files: new Map(),
  /** the example fleet as loaded, to leave the URL clean while it is unchanged */
  example: null,
  active: null,
  plan: null,
  planError: null,
  planMs: 0,
  analyses: 0,
  view: 'diagnostics',
  rendered: new Set(),
  graphKind: 'Kustomization',
  objectsScope: 'file',
  diagScope: 'all',
  /** text -> parse result, per path */
  parsed: new Map(),
  lastStatus: '',
  currentLine: 0,
};

// A small handle for tests and for the console.
let markReady;
window.playground = {
  ready: new Promise((resolve) => (markReady = resolve)),
  get plan() { return state.plan; },
  get analyses() { return state.analyses; },
  get engineMs() { return state.engineMs; },
  get planMs() { return state.planMs; },
  files: () => Object.fromEntries(state.files),
};

// ---------------------------------------------------------------------------
// Start

boot().catch((e) => {
  setStatus(`The playground could not start: ${e.message}`, true);
  console.error(e);
});

async function boot() {
  const [engine, initial] = await Promise.all([loadEngine(), initialFiles()]);
  state.engine = engine;
  setFiles(initial.files, initial.activate);
  worker = startWorker();
  setStatus(`Planning ${plural(state.files.size, 'file')}…`);
  wireEvents();
  selectView(state.view, false);
  analyze();
}

async function loadEngine() {
  const t0 = performance.now();
  let mod;
  try {
    mod = await import(ENGINE_URL.href);
    await mod.default();
  } catch (e) {
    throw new Error(
      `cannot load the WebAssembly engine from ${ENGINE_URL.pathname} (${e.message}). ` +
        'Build it with `bash bindings/wasm/build.sh`, or start the playground with `bash bindings/wasm/playground/serve.sh`.',
    );
  }
  state.engineMs = performance.now() - t0;
  return mod;
}

async function initialFiles() {
  const example = fetch(FLEET_URL).then(async (r) => {
    if (!r.ok) throw new Error(`cannot load the example fleet (${FLEET_URL.pathname}: HTTP ${r.status})`);
    return (await r.json()).files;
  });
  example.then((files) => (state.example = files)).catch(() => {});
  if (location.hash.length > 1) {
    try {
      const files = await decodeFiles(location.hash);
      if (files) return { files };
    } catch (e) {
      setStatus(`The shared link is damaged (${e.message}); the example fleet is loaded instead.`, true);
    }
  }
  const files = await example;
  // Start on the file where the fleet begins.
  const activate = Object.keys(files).find((p) => p.endsWith('gotk-sync.yaml'));
  return { files, activate };
}

function setFiles(files, activate) {
  state.files = new Map(Object.entries(files));
  state.parsed.clear();
  state.active = activate && state.files.has(activate) ? activate : [...state.files.keys()][0] ?? null;
  renderFileTabs();
  showActiveFile();
}

// ---------------------------------------------------------------------------
// Analysis

let timer = 0;
function scheduleAnalyze() {
  clearTimeout(timer);
  timer = setTimeout(analyze, DEBOUNCE_MS);
}

// The plan runs in a worker (worker.js) when the browser has module workers, else
// here. One request at a time: edits made meanwhile are planned once it answers.
let worker = null;
let planSeq = 0;
let inFlight = false;
let queued = false;

function startWorker() {
  try {
    const w = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
    w.onmessage = (e) => onPlanned(e.data);
    w.onerror = (e) => {
      // The worker cannot run: plan on the main thread from now on.
      console.warn('plan worker failed, planning on the main thread', e.message);
      e.preventDefault?.();
      worker = null;
      inFlight = false;
      analyze();
    };
    return w;
  } catch {
    return null;
  }
}

function analyze() {
  clearTimeout(timer);
  if (inFlight) {
    queued = true;
    return;
  }
  const files = Object.fromEntries(state.files);
  const profiles = ui.profiles.value ? ui.profiles.value.split(',') : undefined;
  const options = profiles ? { profiles } : {};
  const id = ++planSeq;
  if (worker) {
    inFlight = true;
    worker.postMessage({ id, files, options });
    return;
  }
  const t0 = performance.now();
  try {
    onPlanned({ id, plan: state.engine.plan(files, options), ms: performance.now() - t0 });
  } catch (e) {
    onPlanned({ id, error: e, ms: performance.now() - t0 });
  }
}

function onPlanned({ id, plan, error, ms }) {
  inFlight = false;
  if (queued) {
    // Newer edits: plan them; this answer is already stale.
    queued = false;
    analyze();
    return;
  }
  if (id !== planSeq) return;
  state.plan = plan ?? null;
  state.planError = error ?? null;
  state.planMs = ms;
  state.analyses++;
  state.rendered.clear();
  renderStatus();
  renderFileTabs();
  renderMarks();
  renderFileProblems();
  renderView();
  scheduleShare();
  if (state.analyses === 1) markReady();
}

/** The objects of a file as `parse` reads them (cached by text). */
function parsedFile(path) {
  const text = state.files.get(path) ?? '';
  const hit = state.parsed.get(path);
  if (hit && hit.text === text) return hit;
  let entry;
  try {
    entry = { text, objects: state.engine.parse(text, { file: path }), error: null };
  } catch (e) {
    entry = { text, objects: [], error: e };
  }
  state.parsed.set(path, entry);
  return entry;
}

/** Every ConfigMap and Secret of the files: what valuesFrom / substituteFrom read. */
function clusterResources() {
  const out = [];
  for (const path of state.files.keys()) {
    for (const o of parsedFile(path).objects) {
      if (o && o.apiVersion === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret')) out.push(o);
    }
  }
  return out;
}

/** The parsed object behind `plan.objects[index]`. */
function rawObject(index) {
  const s = state.plan?.objects?.[index];
  if (!s || !s.file || !state.files.has(s.file)) return null;
  const objs = parsedFile(s.file).objects;
  const same = objs.filter(
    (o) => o?.kind === s.kind && o?.metadata?.name === s.name && (o?.metadata?.namespace ?? null) === (s.namespace ?? null),
  );
  if (same.length === 1) return same[0];
  // Several alike (or a name written with ${var}): the n-th object of the file.
  const nth = state.plan.objects.filter((o) => o.file === s.file).indexOf(s);
  return same[0] ?? objs[nth] ?? null;
}

function diagnosticsOf(path) {
  return (state.plan?.diagnostics ?? []).filter((d) => d.file === path);
}

// ---------------------------------------------------------------------------
// Status line (polite live region: announced after each analysis when it changes)

function setStatus(text, bad = false) {
  ui.status.classList.toggle('bad', bad);
  if (ui.status.textContent !== text) ui.status.textContent = text;
}

function renderStatus() {
  if (state.planError) {
    const e = state.planError;
    setStatus(`Plan failed: ${e.code ? e.code + ': ' : ''}${e.message}`, true);
    return;
  }
  const s = state.plan.summary;
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')}`;
  const mine = diagnosticsOf(state.active);
  const here = state.active ? ` · this file: ${mine.length ? countBySeverity(mine) : 'no problems'}` : '';
  setStatus(`${counts}${here}`, s.errors > 0);
  ui.status.title = `plan of ${state.files.size} files in ${state.planMs.toFixed(1)} ms; engine loaded in ${(state.engineMs ?? 0).toFixed(0)} ms`;
  $('count-diagnostics').textContent = `(${state.plan.diagnostics.length})`;
}

function countBySeverity(diags) {
  const n = { error: 0, warning: 0, info: 0 };
  for (const d of diags) n[d.severity] = (n[d.severity] ?? 0) + 1;
  return ['error', 'warning', 'info'].filter((k) => n[k]).map((k) => plural(n[k], k)).join(', ');
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------
// File tabs

function renderFileTabs() {
  const list = ui.fileTabs;
  const existing = new Map([...list.children].map((b) => [b.dataset.path, b]));
  const focused = document.activeElement?.closest?.('#file-tabs [role=tab]')?.dataset.path;
  const bySeverity = new Map();
  for (const d of state.plan?.diagnostics ?? []) {
    if (!d.file) continue;
    const c = bySeverity.get(d.file) ?? { error: 0, warning: 0 };
    if (d.severity in c) c[d.severity]++;
    bySeverity.set(d.file, c);
  }
  const paths = [...state.files.keys()];
  paths.forEach((path, i) => {
    let b = existing.get(path);
    existing.delete(path);
    if (!b) {
      b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-controls', 'editor-panel');
      b.dataset.path = path;
    }
    b.id = `file-tab-${i}`;
    const selected = path === state.active;
    b.setAttribute('aria-selected', String(selected));
    b.tabIndex = selected ? 0 : -1;
    const c = bySeverity.get(path) ?? { error: 0, warning: 0 };
    const key = `${path}|${c.error}|${c.warning}`;
    if (b.dataset.key !== key) {
      b.dataset.key = key;
      const slash = path.lastIndexOf('/');
      b.replaceChildren(
        span('name', [span('dir', path.slice(0, slash + 1)), path.slice(slash + 1)]),
        ...(c.error ? [badge('error', c.error)] : []),
        ...(c.warning ? [badge('warning', c.warning)] : []),
      );
    }
    if (list.children[i] !== b) list.insertBefore(b, list.children[i] ?? null);
  });
  for (const b of existing.values()) b.remove();
  ui.fileCount.textContent = `(${paths.length})`;
  if (focused && document.activeElement === document.body) {
    list.querySelector(`[data-path="${cssEscape(focused)}"]`)?.focus();
  }
  const tab = list.querySelector('[aria-selected=true]');
  if (tab) ui.editorPanel.setAttribute('aria-labelledby', tab.id);
}

function badge(kind, n) {
  const b = span(`badge ${kind}`, String(n));
  b.append(span('visually-hidden', ` ${kind}${n === 1 ? '' : 's'}`));
  return b;
}

function selectFile(path, focusTab = false) {
  if (!state.files.has(path)) return;
  state.active = path;
  renderFileTabs();
  showActiveFile();
  renderStatus();
  if (state.view === 'objects') renderView();
  if (focusTab) ui.fileTabs.querySelector(`[data-path="${cssEscape(path)}"]`)?.focus();
}

function showActiveFile() {
  const path = state.active;
  ui.source.value = path ? state.files.get(path) : '';
  ui.source.disabled = !path;
  ui.filePath.value = path ?? '';
  ui.source.setAttribute('aria-label', path ? `Contents of ${path}` : 'No file');
  ui.source.scrollTop = 0;
  ui.source.scrollLeft = 0;
  state.currentLine = 0;
  renderGutter(true);
  renderMarks();
  renderFileProblems();
}

function addFile(path, text, { select = true } = {}) {
  path = normalizePath(path);
  if (!path) return null;
  state.files.set(path, text);
  if (select) state.active = path;
  renderFileTabs();
  if (select) showActiveFile();
  scheduleAnalyze();
  return path;
}

function uniquePath(base) {
  if (!state.files.has(base)) return base;
  const dot = base.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  for (let i = 2; ; i++) if (!state.files.has(`${stem}-${i}${ext}`)) return `${stem}-${i}${ext}`;
}

function normalizePath(p) {
  return p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/{2,}/g, '/');
}

function renameActive(to) {
  const from = state.active;
  to = normalizePath(to);
  if (!from || !to || to === from) {
    ui.filePath.value = from ?? '';
    return;
  }
  if (state.files.has(to)) {
    setStatus(`A file named ${to} already exists.`, true);
    ui.filePath.value = from;
    return;
  }
  // Keep the tab where it was.
  state.files = new Map([...state.files].map(([p, t]) => (p === from ? [to, t] : [p, t])));
  state.parsed.delete(from);
  state.active = to;
  renderFileTabs();
  ui.source.setAttribute('aria-label', `Contents of ${to}`);
  analyze();
}

function deleteActive() {
  const path = state.active;
  if (!path) return;
  const paths = [...state.files.keys()];
  const i = paths.indexOf(path);
  state.files.delete(path);
  state.parsed.delete(path);
  state.active = paths[i + 1] ?? paths[i - 1] ?? null;
  renderFileTabs();
  showActiveFile();
  analyze();
  ui.fileTabs.querySelector('[aria-selected=true]')?.focus();
}

// ---------------------------------------------------------------------------
// Editor: textarea + line gutter + marks of the diagnostics' lines

function lineHeight() {
  return parseFloat(getComputedStyle(ui.source).lineHeight) || 20;
}

function lineMarks() {
  const marks = new Map();
  for (const d of diagnosticsOf(state.active)) {
    if (!d.line) continue;
    const m = marks.get(d.line) ?? { severity: d.severity, messages: [] };
    if (SEVERITY_RANK[d.severity] > SEVERITY_RANK[m.severity]) m.severity = d.severity;
    m.messages.push(`${d.severity} ${d.code}: ${d.message}`);
    marks.set(d.line, m);
  }
  return marks;
}

let gutterLines = 0;
let gutterKey = '';
function renderGutter(force = false) {
  const n = ui.source.value.split('\n').length;
  const marks = lineMarks();
  const key = [...marks].map(([l, m]) => `${l}:${m.severity}`).join(',');
  if (!force && n === gutterLines && key === gutterKey) return;
  gutterLines = n;
  gutterKey = key;
  const frag = document.createDocumentFragment();
  for (let i = 1; i <= n; i++) {
    const div = document.createElement('div');
    div.textContent = i;
    div.dataset.line = i;
    const m = marks.get(i);
    if (m) {
      div.className = `marked sev-${m.severity}`;
      div.title = m.messages.join('\n');
    }
    frag.append(div);
  }
  ui.gutter.replaceChildren(frag);
  syncScroll();
}

function renderMarks() {
  renderGutter();
  const lh = lineHeight();
  const top = parseFloat(getComputedStyle(ui.source).paddingTop) || 0;
  const frag = document.createDocumentFragment();
  for (const [line, m] of lineMarks()) {
    const div = document.createElement('div');
    div.className = `marked sev-${m.severity}`;
    div.dataset.line = line;
    div.style.top = `${top + (line - 1) * lh}px`;
    frag.append(div);
  }
  if (state.currentLine) {
    const div = document.createElement('div');
    div.className = 'current';
    div.style.top = `${top + (state.currentLine - 1) * lh}px`;
    frag.prepend(div);
  }
  ui.marks.replaceChildren(frag);
  syncScroll();
}

function syncScroll() {
  const y = ui.source.scrollTop;
  ui.gutter.style.transform = `translateY(${-y}px)`;
  ui.marks.style.transform = `translateY(${-y}px)`;
}

/** Opens `path` and puts the caret at `line:column` (1-based), scrolled into view. */
function goTo(path, line, column = 1) {
  if (!path || !state.files.has(path)) return;
  if (path !== state.active) selectFile(path);
  const text = ui.source.value;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  offset = Math.min(offset + Math.max(0, column - 1), end < 0 ? text.length : end);
  ui.source.focus();
  ui.source.setSelectionRange(offset, offset);
  const lh = lineHeight();
  ui.source.scrollTop = Math.max(0, (line - 1) * lh - ui.source.clientHeight / 3);
  state.currentLine = line;
  renderMarks();
}

function renderFileProblems() {
  const diags = diagnosticsOf(state.active);
  if (!diags.length) {
    ui.fileProblems.replaceChildren(li('empty', state.plan ? 'No problems.' : ''));
    return;
  }
  ui.fileProblems.replaceChildren(...diags.map((d) => diagItem(d, { compact: true })));
}

function diagItem(d, { compact = false } = {}) {
  const item = li(`sev-${d.severity}`);
  item.dataset.code = d.code;
  item.dataset.file = d.file ?? '';
  item.dataset.line = d.line;
  const where = compact ? `line ${d.line || '?'}` : `${d.file ?? '(no file)'}${d.line ? `:${d.line}:${d.column}` : ''}`;
  const loc = d.file && state.files.has(d.file) ? button('loc', where, () => goTo(d.file, d.line || 1, d.column || 1)) : span('mono', where);
  item.append(loc, ' ', span('sev', d.severity), ' ', code(d.code), ' ', d.message);
  if (d.path && !compact) item.append(' ', span('muted mono', `(${d.path})`));
  if (d.hint) item.append(p('hint', `Hint: ${d.hint}`));
  return item;
}

// ---------------------------------------------------------------------------
// Result views

function selectView(view, focus) {
  state.view = view;
  for (const tab of ui.viewTabs.querySelectorAll('[role=tab]')) {
    const on = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`view-${tab.dataset.view}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  renderView();
}

function renderView() {
  if (!state.engine || (!state.plan && !state.planError) || state.rendered.has(state.view)) return;
  state.rendered.add(state.view);
  const panel = $(`view-${state.view}`);
  const keep = panel.scrollTop;
  if (state.planError) {
    panel.replaceChildren(p('error-text', `The plan failed: ${state.planError.message}`));
    return;
  }
  const render = { diagnostics: viewDiagnostics, objects: viewObjects, substitution: viewSubstitution, values: viewValues, releases: viewReleases, graph: viewGraph }[state.view];
  try {
    panel.replaceChildren(...render());
  } catch (e) {
    console.error(e);
    panel.replaceChildren(p('error-text', `This view failed: ${e.message}`));
  }
  panel.scrollTop = keep;
}

function rerender() {
  state.rendered.delete(state.view);
  renderView();
}

function viewDiagnostics() {
  const all = state.plan.diagnostics;
  const shown = state.diagScope === 'file' ? diagnosticsOf(state.active) : all;
  const scope = select('Show', [['all', 'every file'], ['file', 'this file only']], state.diagScope, (v) => {
    state.diagScope = v;
    rerender();
  });
  const s = state.plan.summary;
  const head = div('toolbar', [
    p('', `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')} in ${plural(state.files.size, 'file')} (plan: ${state.planMs.toFixed(1)} ms).`),
    scope,
  ]);
  const list = document.createElement('ul');
  list.className = 'diag-list';
  list.id = 'diagnostics-list';
  list.append(...(shown.length ? shown.map((d) => diagItem(d)) : [li('empty', 'No diagnostics.')]));
  return [head, list];
}

function viewObjects() {
  const scope = select('Show', [['file', 'this file'], ['all', 'every file']], state.objectsScope, (v) => {
    state.objectsScope = v;
    rerender();
  });
  const appliedBy = new Map();
  for (const k of state.plan.kustomizations) for (const o of k.objects) {
    appliedBy.set(o.object, [...(appliedBy.get(o.object) ?? []), k.id]);
  }
  const rows = state.plan.objects
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => state.objectsScope === 'all' || o.file === state.active);
  const out = [div('toolbar', [p('', `${plural(rows.length, 'object')} (${state.plan.stats.objects} in the fleet, ${state.plan.stats.fluxObjects} of them Flux objects).`), scope])];
  if (rows.length) {
    out.push(table(['Kind', 'Name', 'Where', 'Applied by'], rows.map(({ o, i }) => [
      [o.kind, ' ', span('muted', o.apiVersion), ...(o.patch ? [' ', span('tag', 'patch')] : [])],
      code(`${o.namespace ? o.namespace + '/' : ''}${o.name}`),
      o.file ? button('loc', `${o.file}:${o.line}`, () => goTo(o.file, o.line, o.column)) : '',
      (appliedBy.get(i) ?? []).join(', ') || span('muted', '—'),
    ])));
  }
  if (state.objectsScope === 'file' && state.active) {
    const parsed = parsedFile(state.active);
    const det = details(`Parsed documents of ${state.active} (as the API server reads them)`);
    if (parsed.error) det.append(p('error-text', `${parsed.error.code ?? 'error'}: ${parsed.error.message}`));
    else det.append(pre(JSON.stringify(parsed.objects, null, 2)));
    det.open = rows.length === 0 || !!parsed.error;
    out.push(det);
  }
  return out;
}

function viewSubstitution() {
  const out = [p('muted', 'postBuild substitution of each Kustomization: its variables with where each comes from, and what it does to the objects it applies.')];
  const resources = clusterResources();
  let shown = 0;
  for (const k of state.plan.kustomizations) {
    const touched = k.objects.filter((o) => o.variables?.length || o.substitutionError);
    if (!k.variables.length && !touched.length) continue;
    shown++;
    const card = div('card');
    card.append(h3([code(k.id), ' ', k.file ? button('loc', `${k.file}:${k.line}`, () => goTo(k.file, k.line)) : '']));
    const vars = new Map(k.variables.map((v) => [v.name, v]));
    if (k.variables.length) {
      const d = details(`${plural(k.variables.length, 'variable')}`);
      d.append(table(['Variable', 'Value', 'From'], k.variables.map((v) => [
        code(v.name), v.value === null || v.value === undefined ? span('muted', '(Secret: not shown)') : code(v.value), v.origin,
      ])));
      card.append(d);
    }
    if (touched.length) {
      card.append(table(['Object', 'Variables used', 'Result'], touched.map((o) => {
        const used = (o.variables ?? []).map((name) => {
          const v = vars.get(name);
          const text = v ? `${name} = ${v.value ?? '(Secret)'}` : `${name} not set`;
          const c = code(text);
          c.title = v ? v.origin : 'not defined by this Kustomization';
          const from = v ? ` ← ${v.origin}` : o.substitutionError ? '' : ' (its default applies)';
          return [c, span('muted', from), document.createElement('br')];
        }).flat();
        const result = o.substitutionError
          ? span('tag bad', o.substitutionError)
          : span('tag ok', o.substituted ? 'substituted' : 'unchanged');
        const det = details('result');
        det.addEventListener('toggle', () => {
          if (det.open && det.childElementCount === 1) det.append(...substitutionResult(k, o, resources));
        }, { once: false });
        return [
          [`${o.kind} `, code(`${o.namespace ? o.namespace + '/' : ''}${o.name}`), document.createElement('br'),
            o.file ? button('loc', `${o.file}:${o.line}`, () => goTo(o.file, o.line)) : ''],
          used.length ? used : span('muted', '—'),
          [result, det],
        ];
      })));
    }
    out.push(card);
  }
  if (!shown) out.push(p('empty', 'No Kustomization has postBuild substitution.'));
  return out;
}

function substitutionResult(k, o, resources) {
  const ks = rawObject(k.object);
  const obj = rawObject(o.object);
  if (!ks || !obj) return [p('muted', 'The object could not be found in the files.')];
  try {
    const r = state.engine.substituteResource(obj, ks, { resources });
    return [p('', `Outcome: ${r.outcome}`), pre(redactSecret(r.object))];
  } catch (e) {
    const out = [p('error-text', `${e.code ?? 'error'}: ${e.message}`)];
    const msg = e.details?.controllerMessage;
    if (msg) out.push(p('muted', `Ready condition: ${msg}`));
    return out;
  }
}

function redactSecret(obj) {
  if (obj?.kind === 'Secret') {
    const copy = structuredClone(obj);
    for (const f of ['data', 'stringData']) {
      if (copy[f]) for (const key of Object.keys(copy[f])) copy[f][key] = '<redacted>';
    }
    obj = copy;
  }
  return toYaml(obj);
}

function toYaml(value) {
  try {
    return state.engine.jsonToYaml(value);
  } catch {
    return JSON.stringify(value, null, 2);
  }
}

function viewValues() {
  const out = [p('muted', 'The values helm-controller passes to Helm for each HelmRelease (valuesFrom in order, then spec.values), with where each leaf comes from. Values from Secrets are redacted.')];
  const resources = clusterResources();
  const releases = new Map(state.plan.releases.map((r) => [r.helmRelease, r]));
  const applier = new Map();
  for (const k of state.plan.kustomizations) for (const o of k.objects) applier.set(o.object, k);
  if (!state.plan.values.length) out.push(p('empty', 'No HelmRelease in these files.'));
  for (const v of state.plan.values) {
    const s = state.plan.objects[v.object];
    const card = div('card');
    const rel = releases.get(v.helmRelease);
    card.append(h3([code(v.helmRelease), ' ', s?.file ? button('loc', `${s.file}:${s.line}`, () => goTo(s.file, s.line)) : '',
      rel?.releaseName ? span('muted', ` release ${rel.releaseName}`) : '']));
    if (v.error) card.append(p('error-text', `helm-controller would fail: ${v.error}`));
    if (v.unresolved?.length) card.append(p('muted', `Not in these files (left out): ${v.unresolved.join(', ')}`));
    card.append(pre(toYaml(v.values ?? {})));
    const det = details('explain: where each value comes from');
    det.addEventListener('toggle', () => {
      if (det.open && det.childElementCount === 1) det.append(explain(v, applier.get(v.object), resources));
    });
    card.append(det);
    out.push(card);
  }
  return out;
}

function explain(v, ks, resources) {
  let hr = rawObject(v.object);
  if (!hr) return p('muted', 'The HelmRelease could not be found in the files.');
  // As applied: after the postBuild substitution of the Kustomization that applies it.
  if (ks) {
    const ksRaw = rawObject(ks.object);
    try {
      if (ksRaw) hr = state.engine.substituteResource(hr, ksRaw, { resources }).object;
    } catch {
      /* keep it as written */
    }
  }
  try {
    const x = state.engine.explainValues(hr, { resources });
    const frag = document.createDocumentFragment();
    frag.append(table(['Path', 'Value', 'From', 'Shadowed'], x.leaves.map((leaf) => [
      code(leaf.path), code(JSON.stringify(leaf.value)), sourceText(leaf.source),
      leaf.shadowed.length ? leaf.shadowed.map((s) => `${sourceText(s.source)}: ${JSON.stringify(s.value)}`).join('; ') : span('muted', '—'),
    ])));
    if (x.diagnostics.length) {
      const list = document.createElement('ul');
      list.className = 'diag-list compact';
      list.append(...x.diagnostics.map((d) => diagItem(d)));
      frag.append(list);
    }
    return frag;
  } catch (e) {
    return p('error-text', `${e.code ?? 'error'}: ${e.message}`);
  }
}

function sourceText(s) {
  if (!s || s.layer === 'inline') return 'spec.values';
  return `valuesFrom[${s.index}] ${s.kind} ${s.name} key ${s.key}${s.targetPath ? ` → ${s.targetPath}` : ''}`;
}

function viewReleases() {
  const rows = state.plan.releases;
  if (!rows.length) return [p('empty', 'No HelmRelease in these files.')];
  return [table(['HelmRelease', 'Release name', 'Namespace', 'Storage', 'HelmChart'], rows.map((r) => {
    const s = state.plan.objects[r.object];
    return [
      s?.file ? button('loc', r.helmRelease, () => goTo(s.file, s.line)) : code(r.helmRelease),
      r.error ? span('tag bad', r.error) : [code(r.releaseName ?? ''), ...(r.shortened ? [' ', span('tag', 'shortened')] : [])],
      code(r.releaseNamespace ?? ''), code(r.storageNamespace ?? ''), r.helmChart ? code(r.helmChart) : span('muted', 'chartRef'),
    ];
  }))];
}

function viewGraph() {
  const kind = state.graphKind;
  const pick = select('Graph of', [['Kustomization', 'Kustomizations'], ['HelmRelease', 'HelmReleases']], kind, (v) => {
    state.graphKind = v;
    rerender();
  });
  const plan = state.plan;
  // Edges, cycles and the critical path from the engine's graph of the parsed objects;
  // Kustomization dependsOn from the plan (after substitution by a parent).
  let g = null;
  try {
    const objects = [...state.files.keys()].flatMap((path) => parsedFile(path).objects);
    g = state.engine.graph(objects).graphs.find((x) => x.kind === kind) ?? null;
  } catch {
    g = null;
  }
  let nodes, edges, waves;
  const bad = new Set(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}\u0000${d.line}`));
  if (kind === 'Kustomization') {
    const known = new Set(plan.kustomizations.map((k) => k.id));
    nodes = plan.kustomizations.map((k) => {
      const [ns, name] = splitId(k.id);
      const hasError = k.objects.some((o) => o.substitutionError) || [...bad].some((b) => b.startsWith(`${k.file}\u0000`));
      return { id: k.id, namespace: ns, name, file: k.file, line: k.line, bad: hasError, title: `${k.id} — ${k.path}` };
    });
    edges = plan.kustomizations.flatMap((k) => k.dependsOn.map((d) => ({ from: d, to: k.id })));
    for (const e of edges) {
      if (!known.has(e.from)) {
        known.add(e.from);
        const [ns, name] = splitId(e.from);
        nodes.push({ id: e.from, namespace: ns, name, defined: false });
      }
    }
    waves = plan.waves.kustomizations;
  } else {
    nodes = plan.releases.map((r) => {
      const [ns, name] = splitId(r.helmRelease);
      const o = plan.objects[r.object];
      return { id: r.helmRelease, namespace: ns, name, file: o?.file, line: o?.line, bad: !!r.error, title: `${r.helmRelease} — release ${r.releaseName ?? r.error}` };
    });
    const ids = new Set(nodes.map((n) => n.id));
    edges = (g?.edges ?? []).map((e) => ({ from: e.dependency, to: e.dependent }));
    for (const e of edges) {
      if (!ids.has(e.from)) {
        ids.add(e.from);
        const [ns, name] = splitId(e.from);
        nodes.push({ id: e.from, namespace: ns, name, defined: false });
      }
    }
    waves = plan.waves.helmReleases;
  }
  const label = `Dependency graph of the ${kind}s by install wave`;
  if (!nodes.length) return [div('toolbar', [pick]), p('empty', `No ${kind} in these files.`)];
  const svg = graphSvg({
    nodes, edges, waves, critical: g?.criticalPath ?? [], label,
    onOpen: (n) => n.file && goTo(n.file, n.line || 1),
  });
  svg.id = 'graph-svg';
  const wrap = div('graph-wrap', [svg]);
  const list = document.createElement('ul');
  list.className = 'waves-list';
  list.append(...waves.map((w, i) => li('', `Wave ${i}: ${w.map((id) => splitId(id)[1]).join(', ')}`)));
  const out = [div('toolbar', [pick, span('muted', `${plural(nodes.length, 'node')}, ${plural(waves.length, 'wave')}; arrows go from a dependency to what depends on it.`)]), wrap];
  if (g?.criticalPath?.length > 1) out.push(p('', `Critical path (${g.criticalPath.length} steps): ${g.criticalPath.map((id) => splitId(id)[1]).join(' → ')}`));
  if (g?.cycles?.length) out.push(p('error-text', `Cycles: ${g.cycles.map((c) => c.join(' → ')).join('; ')}`));
  const h = document.createElement('h3');
  h.textContent = 'Waves';
  out.push(h, list);
  return out;
}

function splitId(id) {
  const i = id.indexOf('/');
  return i < 0 ? ['', id] : [id.slice(0, i), id.slice(i + 1)];
}

// ---------------------------------------------------------------------------
// Share link: the files, compressed, in the URL fragment

let shareTimer = 0;
function scheduleShare() {
  clearTimeout(shareTimer);
  shareTimer = setTimeout(updateShareHash, 400);
}

function sameAsExample() {
  const ex = state.example;
  if (!ex) return false;
  const keys = Object.keys(ex);
  return keys.length === state.files.size && keys.every((k) => state.files.get(k) === ex[k]);
}

async function updateShareHash() {
  const base = location.href.split('#')[0];
  if (sameAsExample()) {
    history.replaceState(null, '', base);
    return base;
  }
  const hash = await encodeFiles(Object.fromEntries(state.files));
  history.replaceState(null, '', `${base}#${hash}`);
  return location.href;
}

async function copyShareLink() {
  clearTimeout(shareTimer);
  const hash = await encodeFiles(Object.fromEntries(state.files));
  const url = `${location.href.split('#')[0]}#${hash}`;
  history.replaceState(null, '', url);
  ui.shareOutput.hidden = false;
  ui.shareUrl.value = url;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    /* not allowed: the field below shows it */
  }
  ui.shareUrl.select();
  setStatus(`${copied ? 'Copied a' : 'Select and copy the'} share link (${(url.length / 1024).toFixed(1)} KB, ${plural(state.files.size, 'file')}).`);
  window.playground.shareUrl = url;
}
window.playground.updateShareHash = updateShareHash;

// ---------------------------------------------------------------------------
// Events

function tablistKeys(list, activate) {
  list.addEventListener('keydown', (e) => {
    const tabs = [...list.querySelectorAll('[role=tab]')];
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j === null) return;
    e.preventDefault();
    tabs[j].focus();
    activate(tabs[j]);
  });
}

function wireEvents() {
  ui.fileTabs.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) selectFile(tab.dataset.path, true);
  });
  tablistKeys(ui.fileTabs, (tab) => selectFile(tab.dataset.path, true));
  ui.fileTabs.addEventListener('keydown', (e) => {
    if (e.key === 'Delete' && e.target.closest('[role=tab]')) deleteActive();
  });

  ui.viewTabs.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) selectView(tab.dataset.view, true);
  });
  tablistKeys(ui.viewTabs, (tab) => selectView(tab.dataset.view, true));

  ui.source.addEventListener('input', () => {
    if (!state.active) return;
    state.files.set(state.active, ui.source.value);
    state.currentLine = 0;
    renderGutter();
    scheduleAnalyze();
  });
  ui.source.addEventListener('scroll', syncScroll);
  // Tab indents inside the editor; Escape first lets Tab leave it (keyboard users).
  let escaped = false;
  ui.source.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      escaped = true;
      return;
    }
    if (e.key === 'Tab' && !escaped && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      document.execCommand('insertText', false, '  ');
    }
    if (e.key !== 'Tab') escaped = false;
  });
  ui.source.addEventListener('blur', () => (escaped = false));

  ui.filePath.addEventListener('change', () => renameActive(ui.filePath.value));
  ui.filePath.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') renameActive(ui.filePath.value);
    if (e.key === 'Escape') ui.filePath.value = state.active ?? '';
  });
  $('delete-file').addEventListener('click', deleteActive);

  $('new-file').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('new-path');
    const path = normalizePath(input.value) || uniquePath('new.yaml');
    if (state.files.has(path)) {
      selectFile(path);
    } else {
      addFile(path, '');
    }
    input.value = '';
    ui.source.focus();
  });
  $('open-files').addEventListener('change', async (e) => {
    await addFileList([...e.target.files].map((f) => ({ path: f.webkitRelativePath || f.name, file: f })));
    e.target.value = '';
  });

  ui.profiles.addEventListener('change', analyze);
  $('share').addEventListener('click', copyShareLink);
  $('reset').addEventListener('click', async () => {
    const files = state.example ?? (await (await fetch(FLEET_URL)).json()).files;
    setFiles(files, Object.keys(files).find((p) => p.endsWith('gotk-sync.yaml')));
    analyze();
  });
  window.addEventListener('hashchange', async () => {
    try {
      const files = await decodeFiles(location.hash);
      if (files) {
        setFiles(files);
        analyze();
      }
    } catch (e) {
      setStatus(`The shared link is damaged: ${e.message}`, true);
    }
  });
  window.addEventListener('resize', () => renderMarks());

  // Paste outside a text field: a new file.
  document.addEventListener('paste', (e) => {
    const t = e.target;
    if (t instanceof HTMLTextAreaElement || t instanceof HTMLInputElement || t?.isContentEditable) return;
    const text = e.clipboardData?.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    const path = addFile(uniquePath('pasted.yaml'), text);
    setStatus(`Pasted into a new file, ${path}.`);
  });

  // Drop files or folders anywhere.
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    ui.drop.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) ui.drop.hidden = true;
  });
  document.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  document.addEventListener('drop', async (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    ui.drop.hidden = true;
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
    if (entries.length) await addFileList((await Promise.all(entries.map((en) => walkEntry(en, '')))).flat());
    else await addFileList([...e.dataTransfer.files].map((f) => ({ path: f.name, file: f })));
  });
}

async function walkEntry(entry, prefix) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    return [{ path: prefix + entry.name, file }];
  }
  if (!entry.isDirectory) return [];
  const reader = entry.createReader();
  const all = [];
  for (;;) {
    const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
    if (!batch.length) break;
    all.push(...batch);
  }
  const nested = await Promise.all(all.map((en) => walkEntry(en, `${prefix}${entry.name}/`)));
  return nested.flat();
}

async function addFileList(list) {
  const wanted = list.filter(({ path }) => /\.(ya?ml|json|env)$|(^|\/)\.fluxcd-core\.yaml$/i.test(path));
  let first = null;
  for (const { path, file } of wanted) {
    const p = addFile(path, await file.text(), { select: false });
    first ??= p;
  }
  if (first) selectFile(first);
  const skipped = list.length - wanted.length;
  setStatus(`Added ${plural(wanted.length, 'file')}${skipped ? ` (skipped ${skipped} that are not YAML, JSON or .env)` : ''}.`);
  analyze();
}

// ---------------------------------------------------------------------------
// Small DOM helpers

function append(e, children) {
  for (const c of [children].flat(Infinity)) if (c !== null && c !== undefined && c !== '') e.append(c);
  return e;
}
function make(tag, cls, children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return append(e, children);
}
function span(cls, children) { return make('span', cls, children); }
function div(cls, children) { return make('div', cls, children); }
function p(cls, children) { return make('p', cls, children); }
function li(cls, children) { return make('li', cls, children); }
function h3(children) { return make('h3', '', children); }
function code(text) { return make('code', '', String(text)); }
function pre(text) {
  const e = make('pre', 'block', text);
  e.tabIndex = 0; // it scrolls: keyboard users must reach it
  return e;
}
function details(summary) {
  const d = make('details', '', [make('summary', '', summary)]);
  return d;
}
function button(cls, text, onClick) {
  const b = make('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
let selectIds = 0;
function select(label, options, value, onChange) {
  const id = `sel-${++selectIds}`;
  const l = make('label', '', label + ' ');
  l.htmlFor = id;
  const s = document.createElement('select');
  s.id = id;
  for (const [v, text] of options) {
    const o = make('option', '', text);
    o.value = v;
    o.selected = v === value;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  return span('', [l, s]);
}
function table(headers, rows) {
  const t = document.createElement('table');
  const tr = make('tr', '', headers.map((h) => { const th = make('th', '', h); th.scope = 'col'; return th; }));
  t.append(make('thead', '', [tr]));
  t.append(make('tbody', '', rows.map((r) => make('tr', '', r.map((c) => make('td', '', c))))));
  return t;
}
function cssEscape(s) {
  return window.CSS?.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
}
