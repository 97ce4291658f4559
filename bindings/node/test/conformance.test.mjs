// The shared conformance vectors (conformance/) through the Node API, one test per
// vector file; see conformance.mjs for the per-case rules and conformance/RUNNERS.md
// for the reports. FLUXCD_CORE_MODULE points the runner at another implementation of
// the same API (the WASM package), FLUXCD_CORE_RUNTIME names it in the reports.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { conformanceFiles, writeReport } from './conformance.mjs'

const require = createRequire(import.meta.url)
const modulePath = process.env.FLUXCD_CORE_MODULE ? resolve(process.env.FLUXCD_CORE_MODULE) : '../index.js'
const api = require(modulePath)
const runtime = process.env.FLUXCD_CORE_RUNTIME ?? 'node'

for (const f of conformanceFiles(api)) {
  test(f.name, () => {
    for (const r of [f.run()].flat()) {
      console.log(`${r.file}: ${r.cases} cases, ${r.passed} pass, ${r.known} known differences, ${r.skipped} skipped`)
      writeReport(runtime, r)
      assert.equal(r.failures.length, 0, `${r.failures.length} failures in ${r.file}:\n${r.failures.slice(0, 30).join('\n')}`)
    }
  })
}
