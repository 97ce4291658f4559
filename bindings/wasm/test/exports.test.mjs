// The module exports exactly the functions index.d.ts declares (the declarations are
// generated from the Node package's, so this also keeps the two APIs the same), and
// the committed index.d.ts is what scripts/dts.mjs generates.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { indexDts, NATIVE_ONLY } from '../scripts/dts.mjs'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const flux = require('../index.js')

test('exports are the declared functions', () => {
  const dts = readFileSync(join(here, '..', 'index.d.ts'), 'utf8')
  const declared = [...dts.matchAll(/^export declare function (\w+)/gm)].map((m) => m[1]).sort()
  const exported = Object.keys(flux).filter((k) => typeof flux[k] === 'function').sort()
  assert.deepEqual(exported, declared)
  const node = readFileSync(join(here, '..', '..', 'node', 'index.d.ts'), 'utf8')
  const nodeFns = [...node.matchAll(/^export declare function (\w+)/gm)].map((m) => m[1]).filter((f) => !NATIVE_ONLY.includes(f)).sort()
  assert.deepEqual(declared, nodeFns)
})

test('index.d.ts is fresh', () => {
  assert.equal(readFileSync(join(here, '..', 'index.d.ts'), 'utf8'), indexDts())
})
