// Plans in a worker, so the editor never waits for the engine: the page posts
// `{id, files, options}` and gets `{id, plan, ms}` or `{id, error, ms}` back.
import init, { plan } from '../web/fluxcd_core_wasm.js';

const ready = init();

self.onmessage = async (event) => {
  const { id, files, options } = event.data;
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id, error: { name: 'Error', message: `cannot load the engine: ${e.message}` }, ms: 0 });
    return;
  }
  const t0 = performance.now();
  try {
    const result = plan(files, options);
    self.postMessage({ id, plan: result, ms: performance.now() - t0 });
  } catch (e) {
    const error = { name: e.name, message: e.message, code: e.code, location: e.location ?? null, details: e.details ?? {} };
    self.postMessage({ id, error, ms: performance.now() - t0 });
  }
};
