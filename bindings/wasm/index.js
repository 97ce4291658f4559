'use strict'
// The package's entry on Node (CommonJS): the module wasm-bindgen writes into pkg/
// (`bash build.sh`), which loads and instantiates the .wasm synchronously. Browsers
// import `fluxcd-core-wasm/web` (web/fluxcd_core_wasm.js) and `await init()` first.
// The declarations are index.d.ts.
let api
try {
  api = require('./pkg/fluxcd_core_wasm.js')
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('fluxcd_core_wasm')) {
    throw new Error('fluxcd-core-wasm is not built: run `bash bindings/wasm/build.sh` (see the README)')
  }
  throw e
}
module.exports = api
