// Writes gen/fleet.json: every file of examples/fleet (path relative to the fleet
// folder -> text), the files the playground loads at start. Run by serve.sh and by
// the browser test; the output is generated, not committed.
//
//   node bindings/wasm/playground/bundle-fleet.mjs [FLEET_DIR] [OUT_FILE]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every file under `dir` (sorted, `/`-separated relative paths) with its text. */
export async function readFleet(dir) {
  const files = {};
  async function walk(rel) {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files[p] = await fs.readFile(path.join(dir, p), 'utf8');
    }
  }
  await walk('');
  return files;
}

/** Writes the bundle; returns `{ out, count, bytes }`. */
export async function bundleFleet(
  dir = path.resolve(here, '../../../examples/fleet'),
  out = path.join(here, 'gen/fleet.json'),
) {
  const files = await readFleet(dir);
  const json = JSON.stringify({ source: 'examples/fleet', files });
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, json + '\n');
  return { out, count: Object.keys(files).length, bytes: json.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, out] = process.argv.slice(2);
  const r = await bundleFleet(dir && path.resolve(dir), out && path.resolve(out));
  console.log(`bundled ${r.count} files (${r.bytes} bytes) into ${path.relative(process.cwd(), r.out)}`);
}
