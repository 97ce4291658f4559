// The dependency graph as an SVG of our own, layered by install wave: one column (or
// row) per wave, wave 0 first, an arrow from each dependency to its dependent. Nodes
// are focusable; Enter or a click calls `onOpen(node)`. No library: a layered layout
// with a barycenter pass is all a wave graph needs.

const SVG = 'http://www.w3.org/2000/svg';
const NODE_H = 26;
const NODE_GAP = 10;
const COL_GAP = 56;
const ROW_GAP = 34;
const LEFT = 70; // room for the wave labels of rows
const TOP = 30;
const PAD = 12;
const CHAR_W = 7.1; // 12px system-ui, generous

/**
 * @param {object} g
 * @param {Array<{id: string, name: string, namespace?: string, defined?: boolean, bad?: boolean, title?: string}>} g.nodes
 * @param {Array<{from: string, to: string}>} g.edges  dependency -> dependent
 * @param {Array<Array<string>>} g.waves
 * @param {Array<string>} [g.critical]  ids on the critical path
 * @param {string} g.label  accessible name of the picture
 * @param {(node: object) => void} [g.onOpen]
 * @param {'LR'|'TB'|'auto'} [g.orientation]  waves as columns, as rows, or whichever fits
 * @returns {SVGSVGElement}
 */
export function graphSvg({ nodes, edges, waves, critical = [], label, onOpen, orientation = 'auto' }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Columns: the waves, then whatever no wave holds (cycles, missing dependencies).
  const columns = waves.map((w) => w.filter((id) => byId.has(id)));
  const placed = new Set(columns.flat());
  const rest = nodes.filter((n) => !placed.has(n.id)).map((n) => n.id);
  const restLabel = rest.length ? 'not ordered' : null;
  if (rest.length) columns.push(rest);

  const deps = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (deps.has(e.to) && byId.has(e.from)) deps.get(e.to).push(e.from);

  // Order each column by the mean row of its dependencies (barycenter), keeping the
  // given order for ties.
  const row = new Map();
  columns.forEach((col, c) => {
    if (c > 0) {
      const key = (id) => {
        const rows = deps.get(id).map((d) => row.get(d)).filter((r) => r !== undefined);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
      };
      const idx = new Map(col.map((id, i) => [id, i]));
      col.sort((a, b) => key(a) - key(b) || idx.get(a) - idx.get(b));
    }
    col.forEach((id, i) => row.set(id, i));
  });

  // Orientation: waves as columns (left to right) when the waves are few and wide,
  // as rows (top to bottom) when they are many and narrow (a long chain).
  const widest = Math.max(1, ...columns.map((c) => c.length));
  const vertical = orientation === 'TB' || (orientation !== 'LR' && columns.length > widest);
  const nodeW = (id) => Math.max(90, Math.ceil(byId.get(id).name.length * CHAR_W) + 20);
  const pos = new Map();
  const bands = [];
  let width;
  let height;
  if (!vertical) {
    const widths = columns.map((col) => Math.max(90, ...col.map(nodeW)));
    let x = PAD;
    columns.forEach((col, c) => {
      bands.push({ x: x - COL_GAP / 2 + 4, y: 0, w: widths[c] + COL_GAP - 8, labelX: x, labelY: 18 });
      col.forEach((id, i) => pos.set(id, { x, y: TOP + i * (NODE_H + NODE_GAP), w: widths[c], col: c }));
      x += widths[c] + COL_GAP;
    });
    width = Math.max(x - COL_GAP + PAD, 200);
    height = TOP + widest * (NODE_H + NODE_GAP) + PAD;
  } else {
    const rowH = NODE_H + ROW_GAP;
    let maxX = 0;
    columns.forEach((col, c) => {
      let x = LEFT;
      const y = PAD + c * rowH;
      col.forEach((id) => {
        const w = nodeW(id);
        pos.set(id, { x, y, w, col: c });
        x += w + NODE_GAP * 2;
      });
      maxX = Math.max(maxX, x);
      bands.push({ x: 0, y: y - ROW_GAP / 2 + 4, h: rowH - 8, labelX: 8, labelY: y + NODE_H / 2 + 4 });
    });
    width = Math.max(maxX + PAD, 200);
    height = PAD + columns.length * rowH - ROW_GAP + PAD;
    for (const b of bands) b.w = width;
  }

  const svg = el('svg', {
    class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': label,
  });
  svg.append(el('title', {}, label));
  const defs = el('defs');
  const marker = el('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  defs.append(marker);
  svg.append(defs);

  columns.forEach((col, c) => {
    const b = bands[c];
    if (c % 2 === 1) {
      svg.append(el('rect', { class: 'wave-band', x: b.x, y: b.y ?? 0, width: b.w, height: b.h ?? height }));
    }
    const isRest = restLabel && c === columns.length - 1;
    svg.append(el('text', { class: 'wave-label', x: b.labelX, y: b.labelY }, isRest ? restLabel : `wave ${c}`));
  });

  const crit = new Set(critical);
  const critEdge = new Set();
  for (let i = 1; i < critical.length; i++) critEdge.add(`${critical[i - 1]}\u0000${critical[i]}`);
  const edgeEls = [];
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    let d;
    if (a.col < b.col && !vertical) {
      const x1 = a.x + a.w, y1 = a.y + NODE_H / 2, x2 = b.x - 2, y2 = b.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      d = `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`;
    } else if (a.col < b.col) {
      const x1 = a.x + a.w / 2, y1 = a.y + NODE_H, x2 = b.x + b.w / 2, y2 = b.y - 2;
      const my = (y1 + y2) / 2;
      d = `M ${x1} ${y1} C ${x1} ${my}, ${x2} ${my}, ${x2} ${y2}`;
    } else {
      // Same wave or backwards (a cycle): a loop beside the nodes.
      const x1 = a.x + a.w, y1 = a.y + NODE_H / 2, x2 = b.x + b.w + 2, y2 = b.y + NODE_H / 2;
      const side = Math.max(x1, x2) + 40;
      d = `M ${x1} ${y1} C ${side} ${y1}, ${side} ${y2}, ${x2} ${y2}`;
    }
    const cls = critEdge.has(`${e.from}\u0000${e.to}`) ? 'edge critical' : 'edge';
    const p = el('path', { d, class: cls, 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to });
    edgeEls.push(p);
    svg.append(p);
  }

  for (const [id, p] of pos) {
    const n = byId.get(id);
    const mine = edges.filter((e) => e.to === id && byId.has(e.from)).map((e) => byId.get(e.from).name);
    const wave = restLabel && p.col === columns.length - 1 ? 'not ordered' : `wave ${p.col}`;
    const aria = `${n.namespace ? n.namespace + '/' : ''}${n.name}, ${wave}` +
      (mine.length ? `, depends on ${mine.join(', ')}` : '') +
      (n.defined === false ? ', not defined in these files' : '') + (n.bad ? ', has errors' : '');
    const cls = ['node'];
    if (crit.has(id)) cls.push('critical');
    if (n.defined === false) cls.push('missing');
    if (n.bad) cls.push('bad');
    const g = el('g', {
      class: cls.join(' '), 'data-id': id, tabindex: 0, role: 'button', 'aria-label': aria,
      transform: `translate(${p.x} ${p.y})`,
    });
    g.append(el('title', {}, n.title ?? aria));
    g.append(el('rect', { width: p.w, height: NODE_H, rx: 6 }));
    g.append(el('text', { x: 10, y: NODE_H / 2 + 4 }, n.name));
    const highlight = (on) => {
      for (const e of edgeEls) {
        if (e.dataset.from === id || e.dataset.to === id) e.classList.toggle('hl', on);
      }
    };
    g.addEventListener('focus', () => highlight(true));
    g.addEventListener('blur', () => highlight(false));
    g.addEventListener('mouseenter', () => highlight(true));
    g.addEventListener('mouseleave', () => highlight(false));
    if (onOpen) {
      g.addEventListener('click', () => onOpen(n));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          onOpen(n);
        }
      });
    }
    svg.append(g);
  }
  return svg;
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
