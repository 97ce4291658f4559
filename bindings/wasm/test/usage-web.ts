// The browser module (`fluxcd-core-wasm/web`, web/fluxcd_core_wasm.js): `init` first,
// then the same API. Type-checked only (the module is built by build.sh).
import init, { initSync, plan, type PlanFiles } from '../web/fluxcd_core_wasm'

async function main(files: PlanFiles): Promise<number> {
  await init()
  const report = plan(files, { profiles: ['flux'] })
  return (report.diagnostics as unknown[]).length
}

function fromBytes(bytes: Uint8Array): void {
  initSync({ module: bytes })
}

console.log(main, fromBytes)
