// Prints what the WebAssembly package costs a page or a process (not a test: the
// numbers depend on the machine). Run after build.sh:
//
//   node bindings/wasm/size.mjs
//
// - size of the .wasm, raw and gzipped (gzip -9, as a web server would send it);
//   goal: under 1.5 MB gzipped;
// - instantiation: compiling and instantiating the module with wasm-bindgen's glue
//   (`initSync` of the web module, what a page's `await init()` does), median of
//   fresh Node processes; goal: under 100 ms;
// - the first calls after it: `plan` of examples/fleet (from its files) and `envsubst`.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const wasmPath = join(here, 'pkg', 'fluxcd_core_wasm_bg.wasm')
const webModule = pathToFileURL(join(here, 'web', 'fluxcd_core_wasm.js')).href
const runs = Number(process.env.RUNS ?? 7)

const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MiB`
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const bytes = readFileSync(wasmPath)
const gz = gzipSync(bytes, { level: 9 }).length
console.log(`wasm size: ${bytes.length} bytes raw (${mb(bytes.length)}), ${gz} bytes gzipped (${mb(gz)})`)

// One fresh process per run: the module is compiled and instantiated once per process.
const child = `
const { readFileSync, readdirSync } = require('node:fs')
const { join, relative } = require('node:path')
const bytes = readFileSync(${JSON.stringify(wasmPath)})
import(${JSON.stringify(webModule)}).then((m) => {
  let t = performance.now()
  m.initSync({ module: bytes })
  const init = performance.now() - t
  const dir = ${JSON.stringify(join(here, '..', '..', 'examples', 'fleet'))}
  const files = {}
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) files[relative(dir, join(e.parentPath ?? e.path, e.name))] = readFileSync(join(e.parentPath ?? e.path, e.name), 'utf8')
  }
  t = performance.now()
  const p = m.plan(files)
  const plan = performance.now() - t
  t = performance.now()
  m.plan(files)
  const plan2 = performance.now() - t
  t = performance.now()
  m.envsubst('\${a}', { a: 'x' })
  const envsubst = performance.now() - t
  console.log(JSON.stringify({ init, plan, plan2, envsubst, kustomizations: p.kustomizations.length }))
})
`
const results = []
for (let i = 0; i < runs; i++) {
  results.push(JSON.parse(execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' })))
}
const ms = (k) => `${median(results.map((r) => r[k])).toFixed(1)} ms`
console.log(`instantiation (initSync: compile + instantiate, median of ${runs} fresh processes): ${ms('init')}`)
console.log(`first plan of examples/fleet (${results[0].kustomizations} Kustomizations, from its files): ${ms('plan')}; second: ${ms('plan2')}`)
console.log(`first envsubst: ${ms('envsubst')}`)
