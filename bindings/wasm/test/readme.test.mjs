// The README's WebAssembly example (its ```javascript block), run as written with
// `require('fluxcd-core-wasm')` resolved to this package: its assertions must hold.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..', '..')

test("the README's WebAssembly example runs", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```javascript\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.equal(blocks.length, 1, 'one ```javascript block in README.md')
  const code = blocks[0].replace("require('fluxcd-core-wasm')", `require(${JSON.stringify(join(here, '..'))})`)
  assert.notEqual(code, blocks[0], "the example loads the package with require('fluxcd-core-wasm')")
  const out = execFileSync(process.execPath, ['-e', `${code}\nconsole.log('end of example')`], { cwd: root, encoding: 'utf8' })
  assert.equal(out, 'end of example\n')
})
