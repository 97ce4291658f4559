// The pieces of the playground that run in Node too: the static server (MIME types,
// nothing served outside its root), the share-link encoding and the fleet bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server.mjs';
import { encodeFiles, decodeFiles } from '../share.js';
import { bundleFleet, readFleet } from '../bundle-fleet.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

test('the static server serves files with browser MIME types and nothing outside its root', async (t) => {
  const base = mkdtempSync(path.join(tmpdir(), 'fluxcd-playground-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const site = path.join(base, 'site');
  mkdirSync(path.join(site, 'app'), { recursive: true });
  writeFileSync(path.join(site, 'app/index.html'), '<!doctype html><p>hi</p>');
  writeFileSync(path.join(site, 'app/x.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(path.join(site, 'app/m.js'), 'export {}');
  writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
  const srv = await startServer({ root: site });
  t.after(() => srv.close());
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(srv.port, 0);

  const get = (p, init) => fetch(new URL(p, srv.url), { redirect: 'manual', ...init });
  let r = await get('app/x.wasm');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/wasm');
  assert.deepEqual([...new Uint8Array(await r.arrayBuffer())], [0, 97, 115, 109, 1, 0, 0, 0]);
  r = await get('app/m.js');
  assert.match(r.headers.get('content-type'), /^text\/javascript/);
  r = await get('app/');
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<p>hi<\/p>/);
  r = await get('app');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/app/');
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/app/%2e%2e/%2e%2e/secret.txt', '/app/..%2f..%2fsecret.txt', '/nope.txt']) {
    r = await get(p);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(await r.text(), /outside the root/);
  }
  r = await get('app/m.js', { method: 'POST', body: 'x' });
  assert.equal(r.status, 405);
});

test('share links round-trip any file names and contents, compressed', async () => {
  const files = {
    'clusters/prod/ks.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n'.repeat(50),
    'ünïcode/ファイル.yaml': 'a: "é ${x} 🚀"\n',
    '.fluxcd-core.yaml': 'profiles: [flux]\n',
    'empty.yaml': '',
  };
  const hash = await encodeFiles(files);
  assert.match(hash, /^files=[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < JSON.stringify(files).length, 'compressed');
  assert.deepEqual(await decodeFiles(`#${hash}`), files);
  assert.deepEqual(await decodeFiles(hash), files);
  assert.equal(await decodeFiles('#other=1'), null);
  await assert.rejects(decodeFiles('#files=AAAA'));
});

test('the fleet bundle holds every file of examples/fleet', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fluxcd-playground-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'fleet.json');
  const r = await bundleFleet(path.join(root, 'examples/fleet'), out);
  const { files } = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(Object.keys(files).length, r.count);
  assert.ok(r.count > 0);
  const direct = await readFleet(path.join(root, 'examples/fleet'));
  assert.deepEqual(files, direct);
  for (const [p, text] of Object.entries(files)) {
    assert.equal(text, readFileSync(path.join(root, 'examples/fleet', p), 'utf8'), p);
  }
});
