// The shared conformance runner of the JavaScript packages: every vector file of
// conformance/ run through the public API of a module object (`fluxcd-core` on Node,
// the WASM package later), with the per-case semantics of the Rust conformance tests
// (flux-core/tests/*_conformance.rs) and their lists of known differences.
//
//   import { conformanceFiles } from './conformance.mjs'
//   for (const f of conformanceFiles(api)) { const r = f.run(); ... }
//
// Each file's `run()` returns `{ file, cases, passed, known, skipped, failures }`:
// `cases` counts the cases (for postbuild files, the resources) the file holds or
// checks, `passed` those that match the Go oracle, `known` the listed known
// differences that still differ, `skipped` the cases the Rust test skips too, and
// `failures` one line per mismatch (a known difference that now matches is a
// failure too, so the lists cannot go stale). Errors are compared by code and by
// upstream message text, as in Rust.
//
// Where the Rust tests check more than the vector (an internal invariant of a Rust
// type, such as the graph waves of deps or the envsubst version a file was computed
// with), the check needs a Rust type and is left to Rust; each place says so.
//
// `api` must provide: envsubst, envsubstBytes, envsubstTree, yamlToJson, jsonToYaml,
// parseResources, substituteResource, composeValues, parseSet, replacePathValue, mergeValues,
// valuesDigest, verifyValues,
// releaseNames, composeReleaseName, shortenReleaseName, shortenReleaseNameBytes,
// isValidReleaseName, sortDependents, checkReadyExpr, and (native packages only)
// verifyCommitSignature, verifyTagSignature, verifyCheckoutSignatures.

import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, chmodSync, symlinkSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** conformance/ of this checkout. */
export const CONFORMANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'conformance')

// ---------------------------------------------------------------------------
// Known differences: the same lists as the Rust tests (keep them in step; each entry
// is explained there and in conformance/COMPATIBILITY.md).
// ---------------------------------------------------------------------------

/** yaml_conformance.rs KNOWN_DIFFERENCES (case names). */
export const YAML_KNOWN = [
  'special-float-.inf', 'special-float-.Inf', 'special-float-.INF',
  'special-float-+.inf', 'special-float-+.Inf', 'special-float-+.INF',
  'special-float--.inf', 'special-float--.Inf', 'special-float--.INF',
  'special-float-.nan', 'special-float-.NaN', 'special-float-.NAN',
  'tag-float-inf',
  'line-break-ps-single-quoted', 'line-break-ps-double-quoted', 'line-break-ps-plain',
  'line-break-ls-single-quoted', 'line-break-nel-single-quoted',
]

/** subst_conformance.rs KNOWN_DIFFERENCES: [file, case name]. */
export const SUBST_KNOWN = []

/** deps_conformance.rs KNOWN_MESSAGE_DIFFERENCES (readyExpr case names). */
export const READY_EXPR_KNOWN_MESSAGES = ['expr-126', 'expr-127']

/** postbuild_conformance.rs KNOWN_DIFFERENCES (starts of failure lines). */
export const POSTBUILD_KNOWN = [
  'typing/83 "a\\rb" [ConfigMap/t-single-quoted]',
  'typing/83 "a\\rb" [ConfigMap/t-double-quoted]',
  'typing/83 "a\\rb" [ConfigMap/t-quote-trick]',
  'random/020 [ConfigMap/r1]',
  'typing/62 "&anchor" [ConfigMap/t-key]',
  'typing/80 "\\t" [ConfigMap/t-list-item]',
  'typing/78 "\\\\n" [ConfigMap/t-double-quoted]',
]

/** emit_conformance.rs NOT_REPRESENTABLE (emit.json cases skipped: no value stands for the text). */
export const EMIT_NOT_REPRESENTABLE = [
  'error/empty', 'error/unclosed', 'error/trailing-comma', 'error/bare', 'error/two-docs',
  'number/-0.0', 'escapes/lone-surrogate', 'escapes/json',
]

/** emit_conformance.rs KNOWN_DIFFERENCES of source.json. */
export const SOURCE_KNOWN = []

/** emit_conformance.rs RESOURCE_CHECKS. */
const RESOURCE_CHECKS = ['missing kind in object', 'missing metadata.name in object', 'missing Resource metadata']

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** Vector files of an area (`*.json` but not `*.input.json`), sorted. */
function vectorFiles(area, dir = join(CONFORMANCE_DIR, area)) {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && !n.endsWith('.input.json'))
    .sort()
    .map((n) => join(dir, n))
}

function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))
}

function num(x) {
  return typeof x === 'bigint' ? Number(x) : x
}

/** JSON equality with numbers compared by value (Go writes `1` for the float 1.0). */
export function sameJson(a, b) {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b
    return num(a) === num(b)
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
  }
  return a === b
}

/** Runs `f`; `{ ok: value }` or `{ err }` (the thrown error). */
function attempt(f) {
  try {
    return { ok: f() }
  } catch (err) {
    return { err }
  }
}

function errText(e) {
  return e && e.code ? `${e.code}: ${e.message}` : String(e)
}

const hex = (bytes) => Buffer.from(bytes).toString('hex')

/**
 * JSON text to a value, as emit_conformance.rs's `parse_json` reads it: integers that
 * a double holds exactly become numbers, larger ones within the 64-bit range BigInts
 * (exact; the API takes them), others doubles; a number beyond the double range
 * becomes the string of its spelling (as go-yaml v2 reads it).
 */
export function parseJsonExact(text) {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const string = () => {
    if (text[i] !== '"') throw new Error(`expected a string at ${i}`)
    const start = i++
    let escaped = false
    while (i < text.length) {
      const c = text[i]
      if (c === '\\' && !escaped) escaped = true
      else if (c === '"' && !escaped) {
        i++
        return JSON.parse(text.slice(start, i))
      } else escaped = false
      i++
    }
    throw new Error('unterminated string')
  }
  const number = () => {
    const start = i
    while (i < text.length && /[-+.eE0-9]/.test(text[i])) i++
    const t = text.slice(start, i)
    if (!/[.eE]/.test(t)) {
      const b = BigInt(t)
      if (b >= -(2n ** 53n) + 1n && b <= 2n ** 53n - 1n) return Number(b)
      if (b >= -(2n ** 63n) && b <= 2n ** 64n - 1n) return b
    }
    const f = Number(t)
    if (Number.isNaN(f)) throw new Error(`bad number ${t}`)
    return Number.isFinite(f) ? f : t
  }
  const value = () => {
    ws()
    const c = text[i]
    if (c === '[') {
      i++
      const out = []
      ws()
      if (text[i] === ']') {
        i++
        return out
      }
      for (;;) {
        out.push(value())
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return out
        } else throw new Error(`unexpected input at ${i}`)
      }
    }
    if (c === '{') {
      i++
      const out = {}
      ws()
      if (text[i] === '}') {
        i++
        return out
      }
      for (;;) {
        ws()
        const k = string()
        ws()
        if (text[i] !== ':') throw new Error(`expected ':' at ${i}`)
        i++
        out[k] = value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return out
        } else throw new Error(`unexpected input at ${i}`)
      }
    }
    if (c === '"') return string()
    if (text.startsWith('true', i)) return (i += 4), true
    if (text.startsWith('false', i)) return (i += 5), false
    if (text.startsWith('null', i)) return (i += 4), null
    if (c === '-' || (c >= '0' && c <= '9')) return number()
    throw new Error(`unexpected input at ${i}`)
  }
  const v = value()
  ws()
  if (i !== text.length) throw new Error(`trailing data at ${i}`)
  return v
}

/** A vector file's result, with its failures. */
function result(file, cases) {
  return { file, cases, passed: 0, known: 0, skipped: 0, failures: [] }
}

// ---------------------------------------------------------------------------
// yaml/scalars.json (yaml_conformance.rs)
// ---------------------------------------------------------------------------

function runYaml(api, path) {
  const cases = readJson(path)
  const r = result('yaml/scalars.json', cases.length)
  if (cases.length < 150) r.failures.push(`only ${cases.length} cases`)
  for (const c of cases) {
    const ours = attempt(() => api.yamlToJson(c.yaml, { schema: 'kubernetes' }))
    const matches = c.expect_error === true
      ? 'err' in ours
      : 'ok' in ours && sameJson(ours.ok.length ? ours.ok[0] : null, c.expect)
    const listed = YAML_KNOWN.includes(c.name)
    if (listed && matches) r.failures.push(`${c.name}: listed as a known difference but now matches the oracle`)
    else if (listed) r.known++
    else if (matches) r.passed++
    else {
      const want = c.expect_error ? `an error (${c.error ?? ''})` : show(c.expect)
      const got = 'err' in ours ? errText(ours.err) : show(ours.ok[0] ?? null)
      r.failures.push(`${c.name}: ${show(c.yaml)}\n    oracle: ${want}\n    ours:   ${got}`)
    }
  }
  for (const n of YAML_KNOWN) {
    if (!cases.some((c) => c.name === n)) r.failures.push(`known difference names no case: ${n}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// subst/*.json (subst_conformance.rs)
// ---------------------------------------------------------------------------

function checkSubst(api, c) {
  const strict = c.strict ?? false
  const vars = c.vars ?? {}
  const expect = c.expect
  const got = attempt(() => api.envsubstBytes(c.input, vars, { strict }))
  const gotStr = attempt(() => api.envsubst(c.input, vars, { strict }))
  if (c.tree !== undefined) {
    const ours = attempt(() => api.envsubstTree(c.input))
    if ('err' in ours) return `oracle parsed it, we failed: ${errText(ours.err)}`
    if (!sameJson(ours.ok, c.tree)) return `tree differs:\n  want ${show(c.tree)}\n  got  ${show(ours.ok)}`
  }
  if (c.panics === true) {
    return 'err' in got && got.err.code === 'subst.negative_length'
      ? null
      : `Flux panics (${expect.panic}); we must throw subst.negative_length, got ${'err' in got ? errText(got.err) : hex(got.ok)}`
  }
  if (expect.error) {
    const { code, message } = expect.error
    if (!('err' in got) || got.err.code !== code || !got.err.message.includes(message)) {
      return `want error ${code} ${show(message)}, got ${'err' in got ? errText(got.err) : show(got.ok.toString())}`
    }
    const same = 'err' in gotStr && gotStr.err.code === got.err.code && gotStr.err.message === got.err.message &&
      sameJson(gotStr.err.location, got.err.location)
    return same ? null : `envsubst and envsubstBytes disagree: ${'err' in gotStr ? errText(gotStr.err) : show(gotStr.ok)}`
  }
  let want
  if (typeof expect.output === 'string') want = Buffer.from(expect.output, 'utf8')
  else if (typeof expect.output_hex === 'string') want = Buffer.from(expect.output_hex, 'hex')
  else return `unknown expectation ${show(expect)}`
  if ('err' in got) return `want ${show(want.toString())}, got error ${errText(got.err)}`
  if (!Buffer.from(got.ok).equals(want)) return `want ${show(want.toString())}, got ${show(Buffer.from(got.ok).toString())}`
  let wantStr = null
  try {
    wantStr = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(want)
  } catch {}
  if (wantStr !== null && 'ok' in gotStr && gotStr.ok === wantStr) return null
  if (wantStr === null && 'err' in gotStr && gotStr.err.code === 'subst.invalid_utf8') return null
  return `the string API disagrees: ${'err' in gotStr ? errText(gotStr.err) : show(gotStr.ok)}`
}

function runSubst(api, path) {
  const file = path.split('/').pop()
  const data = readJson(path)
  // Rust also checks data.envsubst_version against its ENVSUBST_VERSION constant.
  const r = result(`subst/${file}`, data.cases.length)
  for (const c of data.cases) {
    const why = checkSubst(api, c)
    const listed = SUBST_KNOWN.some(([f, n]) => f === file && n === c.name)
    if (why === null && !listed) r.passed++
    else if (why !== null && listed) r.known++
    else if (why === null) r.failures.push(`${file} :: ${c.name}: listed as a known difference but passes; remove it`)
    else r.failures.push(`${file} :: ${c.name}: ${why}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// deps/*.json (deps_conformance.rs)
// ---------------------------------------------------------------------------

function runDepsSort(api, path, minCases) {
  const file = path.split('/').pop()
  const data = readJson(path)
  const r = result(`deps/${file}`, data.cases.length)
  if (data.cases.length < minCases) r.failures.push(`only ${data.cases.length} cases`)
  // Rust also checks the Graph built from the same objects (waves, cycles): a Rust type.
  for (const c of data.cases) {
    const got = attempt(() => api.sortDependents(c.objects))
    const { order, error } = c.expect
    let why = null
    if (order != null && error == null && 'ok' in got) {
      if (!sameJson(got.ok, order)) why = `order ${show(got.ok)}, want ${show(order)}`
    } else if (order == null && error != null && 'err' in got) {
      if (got.err.message !== error) why = `message ${show(got.err.message)}, want ${show(error)}`
      else if (got.err.code !== 'deps.cycle') why = `code ${got.err.code}, want deps.cycle`
      else if (!Array.isArray(got.err.cycle) || got.err.cycle.at(-1) === undefined) why = 'no cycle on the error'
    } else {
      why = `expected ${show(order)} / ${show(error)}, got ${'err' in got ? errText(got.err) : show(got.ok)}`
    }
    if (why === null) r.passed++
    else r.failures.push(`${c.name}: ${why}`)
  }
  return r
}

function runReadyExpr(api, path) {
  const data = readJson(path)
  const r = result('deps/ready-expr.json', data.cases.length)
  if (data.cases.length < 100) r.failures.push(`only ${data.cases.length} cases`)
  const differ = []
  for (const c of data.cases) {
    const label = `${c.name}: ${show([...c.expr].slice(0, 80).join(''))}`
    if (c.expect.valid !== (c.expect.error == null)) {
      r.failures.push(`${label}: inconsistent vector`)
      continue
    }
    const got = attempt(() => api.checkReadyExpr(c.expr))
    const want = c.expect.error
    if (want == null && 'ok' in got) {
      r.passed++
      continue
    }
    if (want != null && 'err' in got) {
      const cls = want.startsWith('failed to parse the CEL expression')
        ? 'deps.ready_expr_syntax'
        : want.startsWith('CEL expression output type mismatch')
          ? 'deps.ready_expr_type'
          : null
      if (cls === null) {
        r.failures.push(`${label}: unexpected oracle error ${want}`)
        continue
      }
      if (got.err.code !== cls) {
        r.failures.push(`${label}: ${errText(got.err)}\n  want: ${want}`)
        continue
      }
      if (got.err.message !== want) {
        differ.push(c.name)
        if (READY_EXPR_KNOWN_MESSAGES.includes(c.name)) r.known++
        else r.failures.push(`${label}: message differs from cel-go\n  ours: ${got.err.message}\n  go:   ${want}`)
      } else r.passed++
      continue
    }
    r.failures.push(`${label}: expected ${show(want)}, got ${'err' in got ? errText(got.err) : 'valid'}`)
  }
  for (const n of READY_EXPR_KNOWN_MESSAGES) {
    if (!differ.includes(n)) r.failures.push(`${n}: no longer differs from cel-go; remove it from the list`)
  }
  return r
}

// ---------------------------------------------------------------------------
// signature/objects.json (signature_conformance.rs)
// ---------------------------------------------------------------------------

/** signature_conformance.rs KNOWN_DIFFERENCES (case names). */
export const SIGNATURE_KNOWN = []

/** One signature case; `null` when it agrees with the oracle, else the difference. */
export function checkSignature(api, doc, c) {
  const keys = {}
  for (const [k, v] of Object.entries(doc.secrets[c.secret])) keys[k] = Buffer.from(doc.keys[v])
  const obj = doc.objects[c.object]
  const raw = Buffer.from(obj.raw, 'base64')
  const want = c.expect
  let got
  let ok
  if (c.verify === 'commit') {
    got = attempt(() => api.verifyCommitSignature(raw, obj.hash, keys))
    ok = (g) => (g.keyId === want.keyId ? null : `key id ${g.keyId} != ${show(want)}`)
  } else if (c.verify === 'tag') {
    got = attempt(() => api.verifyTagSignature(raw, keys, { name: obj.name }))
    if ('ok' in got && got.ok.tag !== want.label) return `label ${got.ok.tag} != ${want.label}`
    ok = (g) => (g.keyId === want.keyId ? null : `key id ${g.keyId} != ${show(want)}`)
  } else {
    const rawTag = c.tagObject ? Buffer.from(doc.objects[c.tagObject].raw, 'base64') : undefined
    got = attempt(() =>
      api.verifyCheckoutSignatures(c.mode, obj.hash, raw, keys, { reference: c.reference ?? undefined, rawTag }),
    )
    if (want.skipped) return 'ok' in got && got.ok.mode === null ? null : `not skipped: ${show(got)}`
    ok = (g) => (g.message === want.message && g.mode === want.mode ? null : `success ${show(g)} != ${show(want)}`)
  }
  if ('err' in got) {
    if (want.error == null) return `expected success ${show(want)}, got ${errText(got.err)}`
    if (got.err.message !== want.error) return `message differs\n  ours: ${got.err.message}\n  go:   ${want.error}`
    if (got.err.details.reason !== want.reason) return `reason ${got.err.details.reason} != ${want.reason}`
    return null
  }
  if (want.error != null) return `go fails with ${show(want.error)}, we verify: ${show(got.ok)}`
  return ok(got.ok)
}

function runSignature(api, path) {
  const doc = readJson(path)
  const r = result('signature/objects.json', doc.cases.length)
  if (doc.cases.length < 500) r.failures.push(`only ${doc.cases.length} cases`)
  for (const c of doc.cases) {
    const problem = checkSignature(api, doc, c)
    const known = SIGNATURE_KNOWN.includes(c.name)
    if (problem === null && !known) r.passed++
    else if (problem === null) r.failures.push(`${c.name}: listed as a known difference but agrees`)
    else if (known) r.known++
    else r.failures.push(`${c.name}: ${problem}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// release/*.json (release_conformance.rs)
// ---------------------------------------------------------------------------

function helmReleaseDoc(h) {
  const spec = { interval: '10m' }
  for (const k of ['releaseName', 'targetNamespace', 'storageNamespace']) {
    if (h[k] != null) spec[k] = h[k]
  }
  if (h.chartRef) spec.chartRef = { kind: 'OCIRepository', name: 'chart' }
  else {
    const sourceRef = { kind: 'HelmRepository', name: 'repo' }
    if (h.chartSourceNamespace != null) sourceRef.namespace = h.chartSourceNamespace
    spec.chart = { spec: { chart: 'chart', sourceRef } }
  }
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: h.name, namespace: h.namespace },
    spec,
  }
}

/** One release case; `null` when it matches, else the first difference. */
export function checkRelease(api, c) {
  const e = c.expect
  let composed
  if (c.shorten != null) composed = c.shorten
  else if (c.hr) composed = api.composeReleaseName(c.hr.name, { targetNamespace: c.hr.targetNamespace ?? undefined, releaseName: c.hr.releaseName ?? undefined })
  else return 'case has neither shorten nor hr'
  if (c.hr && composed !== (e.composed ?? '')) return `composed ${show(composed)}, Go ${show(e.composed)}`
  const bytes = hex(api.shortenReleaseNameBytes(composed))
  if (bytes !== e.shortHex) return `shortened bytes ${bytes}, Go ${e.shortHex}`
  const short = attempt(() => api.shortenReleaseName(composed))
  const shortOk = e.short != null
    ? 'ok' in short && short.ok === e.short
    : 'err' in short && short.err.code === 'release.split_character'
  if (!shortOk) return `shortenReleaseName ${'err' in short ? errText(short.err) : show(short.ok)}, Go ${show(e.short)}`
  if (!c.hr) {
    const ours = e.short != null && api.isValidReleaseName(e.short)
    return ours === (e.helmError === '') ? null : `valid=${ours}, Helm says ${show(e.helmError)}`
  }
  const got = attempt(() => api.releaseNames(helmReleaseDoc(c.hr)))
  if ('ok' in got) {
    const info = got.ok
    if (e.helmError !== '') return `accepted, Helm says ${show(e.helmError)}`
    const ours = [info.releaseName, info.releaseNamespace, info.storageNamespace, info.helmChart]
    const want = [e.short ?? null, e.releaseNamespace ?? '', e.storageNamespace ?? '', e.helmChart ?? null]
    if (!sameJson(ours, want)) return `got ${show(ours)}, Go ${show(want)}`
    if (info.shortened !== (info.releaseName !== info.composedName)) return 'shortened flag wrong'
    return null
  }
  const err = got.err
  if (e.helmError === '') return `rejected (${errText(err)}), Helm accepts`
  const want = e.short == null ? 'release.split_character' : 'release.invalid_name'
  if (err.code !== want) return `error code ${err.code}, expected ${want}`
  // Helm's own wording follows "invalid release name".
  const tail = e.helmError.replace(/^(invalid release name, )+/, '')
  if (want === 'release.invalid_name' && !err.message.includes(tail)) return `message ${show(err.message)} lacks Helm's ${show(tail)}`
  return null
}

function runRelease(api, path, minCases) {
  const file = path.split('/').pop()
  const data = readJson(path)
  // Rust also checks meta.helm_controller_version against its HELM_CONTROLLER_VERSION.
  const r = result(`release/${file}`, data.cases.length)
  if (data.cases.length < minCases) r.failures.push(`only ${data.cases.length} cases`)
  for (const c of data.cases) {
    const why = checkRelease(api, c)
    if (why === null) r.passed++
    else r.failures.push(`${c.name}: ${why}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// semver/*.json (semver_conformance.rs)
// ---------------------------------------------------------------------------

/** One semver case; `null` when it matches, else the first difference. */
export function checkSemver(api, c) {
  const e = c.expect
  const wantErr = e.error || ''
  let got
  if ('version' in c) {
    got = attempt(() => api.semverParse(c.version))
    if ('ok' in got) {
      if (wantErr) return `accepted as ${got.ok.string}, Go: ${wantErr}`
      const v = got.ok
      // major/minor/patch beyond 2^53 are not exact as numbers: `string` holds them.
      const [maj, min, pat] = v.string.split(/[-+]/)[0].split('.')
      const mine = { string: v.string, major: maj, minor: min, patch: pat, prerelease: v.prerelease, metadata: v.metadata, original: v.original }
      if (String(v.major) !== maj && Number(maj) <= Number.MAX_SAFE_INTEGER) return `major ${v.major} vs ${maj}`
      if (!sameJson(mine, e.version)) return `got ${show(mine)}, Go ${show(e.version)}`
      return null
    }
  } else if ('constraint' in c) {
    got = attempt(() => api.semverConstraint(c.constraint))
    if ('ok' in got) {
      if (wantErr) return `accepted, Go: ${wantErr}`
      if (got.ok !== (e.constraint ?? '')) return `String() ${show(got.ok)}, Go ${show(e.constraint)}`
      const check = (c.versions ?? []).map((v) => ('err' in attempt(() => api.semverParse(v)) ? null : api.semverCheck(c.constraint, v)))
      if (!sameJson(check, e.check)) return `check ${show(check)} on ${show(c.versions)}, Go ${show(e.check)}`
      return null
    }
  } else {
    got = attempt(() => api.semverCompare(c.compare[0], c.compare[1]))
    if ('ok' in got) {
      if (got.ok !== e.compare || wantErr) return `compare ${got.ok}, Go ${e.compare} ${wantErr}`
      return null
    }
  }
  const err = got.err
  if (err.code !== 'semver.invalid_version' && err.code !== 'semver.invalid_constraint') return `error ${errText(err)}`
  if (err.message !== wantErr) return `error ${show(err.message)}, Go ${show(wantErr)}`
  return null
}

function runSemver(api, path, minCases) {
  const file = path.split('/').pop()
  const data = readJson(path)
  const r = result(`semver/${file}`, data.cases.length)
  if (data.cases.length < minCases) r.failures.push(`only ${data.cases.length} cases`)
  for (const c of data.cases) {
    const why = checkSemver(api, c)
    if (why === null) r.passed++
    else r.failures.push(`${c.name}: ${why}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// image/*.json (image_conformance.rs)
// ---------------------------------------------------------------------------

const PATTERN_ERROR = "failed to filter tags: invalid regular expression pattern '"

/** One image policy case; `null` when it matches, else the first difference. */
export function checkImage(api, c) {
  const spec = { policy: c.policy }
  if (c.filterTags != null) spec.filterTags = c.filterTags
  const e = c.expect
  const got = attempt(() => api.imagePolicy({ spec }, c.tags))
  if ('err' in got) {
    const msg = got.err.message
    if (!e.error) return `error ${errText(got.err)}, Go selects ${show(e.tag)}`
    if (e.error.startsWith(PATTERN_ERROR)) {
      const i = e.error.indexOf("': error parsing regexp: ")
      const prefix = i >= 0 ? e.error.slice(0, i + 25) : e.error
      if (!msg.startsWith(prefix)) return `error ${show(msg)}, Go ${show(e.error)}`
    } else if (msg !== e.error) return `error ${show(msg)}, Go ${show(e.error)}`
    return null
  }
  const s = got.ok
  if (e.error) return `selects ${show(s.tag)}, Go: ${e.error}`
  const possible = e.possible ?? []
  if (possible.length ? !possible.includes(s.tag) : s.tag !== e.tag) return `selects ${show(s.tag)}, Go ${show(e.tag)} ${show(possible)}`
  // Byte order, as Go's sort.Strings (JS sorts UTF-16 code units: equal for these tags).
  const cands = c.filterTags != null ? [...s.candidates].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))) : s.candidates
  if (!sameJson(cands, e.candidates)) return `candidates ${show(cands)}, Go ${show(e.candidates)}`
  if (!sameJson(s.dropped, e.dropped)) return `dropped ${show(s.dropped)}, Go ${show(e.dropped)}`
  return null
}

function runImage(api, path, minCases) {
  const file = path.split('/').pop()
  const data = readJson(path)
  const r = result(`image/${file}`, data.cases.length)
  if (data.cases.length < minCases) r.failures.push(`only ${data.cases.length} cases`)
  for (const c of data.cases) {
    const why = checkImage(api, c)
    if (why === null) r.passed++
    else r.failures.push(`${c.name}: ${why}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// values/*.json (values_conformance.rs)
// ---------------------------------------------------------------------------

// A map as the Rust test's `map_of` reads it: anything but an object is `{}`.
const valuesMap = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {})

function runValuesCase(api, c) {
  switch (c.kind) {
    case 'compose': {
      const resources = (c.objects ?? []).map((o) => ({
        apiVersion: 'v1',
        kind: o.kind,
        metadata: { name: o.name },
        data: o.data ?? null,
        stringData: o.stringData ?? null,
      }))
      const spec = { valuesFrom: c.refs ?? [] }
      if (Object.hasOwn(c, 'inline')) spec.values = c.inline
      const hr = {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'values', namespace: 'flux-system' },
        spec,
      }
      return api.composeValues(hr, { resources })
    }
    case 'strvals': {
      // Parse / ParseString start from an empty map, as ParseInto / ParseIntoString
      // into a new map do; `then` is a second line into the same map.
      const func = c.func ?? (c.string === true ? 'ParseIntoString' : 'ParseInto')
      if (!['Parse', 'ParseString', 'ParseInto', 'ParseIntoString'].includes(func)) throw new Error(`unknown func ${func}`)
      const into = func === 'ParseInto' || func === 'ParseIntoString'
      const lines = typeof c.then === 'string' ? [c.set, c.then] : [c.set]
      return api.parseSet(lines, {
        dest: into ? (c.dest ?? undefined) : undefined,
        string: func === 'ParseString' || func === 'ParseIntoString',
      })
    }
    case 'replace': {
      const text = (k) => (typeof c[k] === 'string' ? c[k] : '')
      const literal = c.literal === true
      let out = api.replacePathValue(c.dest ?? null, text('path'), text('value'), { literal })
      if (typeof c.then_path === 'string') out = api.replacePathValue(out, c.then_path, text('then_value'), { literal })
      return out
    }
    case 'verify':
      return api.verifyValues(typeof c.digest === 'string' ? c.digest : '', valuesMap(c.values))
    case 'merge': {
      // A key that is present stands for a map (`{}` for null), an absent one for nil.
      const side = (k) => (Object.hasOwn(c, k) ? (c[k] !== null && typeof c[k] === 'object' && !Array.isArray(c[k]) ? c[k] : {}) : null)
      return api.mergeValues(side('a'), side('b'))
    }
    case 'digest':
      return api.valuesDigest(valuesMap(c.values), { algorithm: c.algo ?? 'sha256' })
    default:
      throw new Error(`unknown kind ${c.kind}`)
  }
}

function runValues(api, dir) {
  const results = []
  for (const name of ['upstream', 'strvals', 'strvals-upstream', 'generated']) {
    const data = readJson(join(dir, `${name}.json`))
    const r = result(`values/${name}.json`, data.cases.length)
    for (const c of data.cases) {
      const got = attempt(() => runValuesCase(api, c))
      let ok
      if ('err' in got && typeof c.error === 'string') ok = got.err.message === c.error
      else if ('ok' in got && c.error === undefined) ok = sameJson(got.ok, c.expect_null === true ? null : c.expect)
      else ok = false
      if (ok) r.passed++
      else {
        r.failures.push(`${name}: ${c.name}\n  got:  ${'err' in got ? errText(got.err) : show(got.ok)}\n  want: ${show(c.error ?? c.expect)}`)
      }
    }
    results.push(r)
  }
  return results
}

// ---------------------------------------------------------------------------
// postbuild/{upstream-pkg,upstream-controller,generated}.json (postbuild_conformance.rs)
// ---------------------------------------------------------------------------

/** kustomize's unwrapping of `kind: *List` documents (postbuild::expand_lists). */
function expandLists(objects) {
  const out = []
  for (const v of objects) {
    if (typeof v?.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      out.push(...v.items.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)))
    } else out.push(v)
  }
  return out
}

function docs(api, text, schema) {
  const got = attempt(() => api.yamlToJson(text, { schema }))
  if ('err' in got) return { docs: [], error: got.err }
  return { docs: expandLists(got.ok.filter((d) => d !== null && typeof d === 'object' && !Array.isArray(d))) }
}

function id(v) {
  const s = (x) => (typeof x === 'string' ? x : '')
  return [s(v?.kind), s(v?.metadata?.namespace), s(v?.metadata?.name)].join('\u0000')
}

function runPostbuild(api, path) {
  const file = path.split('/').pop()
  const data = readJson(path)
  const r = result(`postbuild/${file}`, 0)
  const failures = []
  // [label, failures.length when the resource's check started]: which resources failed.
  const marks = []
  for (const c of data.cases) {
    const name = c.name ?? '?'
    if (c.build_error != null) {
      r.skipped++
      continue
    }
    const ksDocs = docs(api, c.kustomization ?? '', 'kubernetes').docs
    if (ksDocs.length === 0) {
      failures.push(`${name}: no Kustomization`)
      continue
    }
    // Cases taken from upstream unit tests call SubstituteVariables directly, whatever
    // the Kustomization's postBuild says: the Kustomization is set up to say it.
    const ks = structuredClone(ksDocs[0])
    if (c.direct === true) {
      ks.spec ??= {}
      if (c.post_build ?? true) {
        ks.spec.postBuild ??= {}
        if (c.substitute_always === true) ks.spec.postBuild.substituteStrategy = 'Always'
        else if (c.substitute_always === false) delete ks.spec.postBuild.substituteStrategy
      } else delete ks.spec.postBuild
    }
    const cluster = docs(api, c.cluster ?? '', 'kubernetes').docs
    const resources = attempt(() => api.parseResources(c.resources ?? '')).ok ?? []
    const options = { resources: cluster, strict: c.strict ?? true, dryRun: c.dry_run ?? false }
    for (const want of c.results ?? []) {
      r.cases++
      marks.push([`${name} [${want.kind ?? ''}/${want.name ?? ''}]`, failures.length])
      const key = id({ kind: want.kind, metadata: { namespace: want.namespace, name: want.name } })
      const res = resources.find((x) => id(x) === key)
      if (!res) {
        failures.push(`${name}: resource ${show([want.kind, want.namespace, want.name])} not found in our reading`)
        continue
      }
      const label = `${name} [${want.kind ?? ''}/${want.name ?? ''}]`
      const got = attempt(() => api.substituteResource(res, ks, options))
      const outcome = want.outcome ?? ''
      if (outcome === 'error') {
        if ('ok' in got) {
          failures.push(`${label}: expected error ${show(want.error)}, got ${got.ok.outcome}`)
          continue
        }
        const e = got.err
        const wantErr = want.error ?? ''
        let ok
        if (e.code === 'postbuild.yaml') ok = wantErr.startsWith('envsubst error: YAMLToJSON: ')
        else if (e.code === 'postbuild.invalid_var_name') {
          const first = (c.invalid_names ?? [])[0]
          ok = wantErr.includes('var name is invalid') && first !== undefined && e.message.includes(`'${first}'`)
        } else ok = e.message === wantErr
        if (!ok) failures.push(`${label}: error\n  ours: ${e.message}\n  want: ${wantErr}`)
        if (typeof want.controller_error === 'string' && ok && e.code !== 'postbuild.yaml' && e.code !== 'postbuild.invalid_var_name') {
          const mine = e.details?.controllerMessage
          if (mine !== want.controller_error) failures.push(`${label}: controller error\n  ours: ${mine}\n  want: ${want.controller_error}`)
        }
        continue
      }
      if ('err' in got) {
        failures.push(`${label}: unexpected error ${errText(got.err)}`)
        continue
      }
      const s = got.ok
      if (s.outcome !== outcome) {
        failures.push(`${label}: outcome ${s.outcome}, want ${outcome}`)
        continue
      }
      if (typeof want.emitted === 'string' && s.emitted !== '' && s.emitted !== want.emitted) {
        failures.push(`${label}: emitted text differs\n  ours: ${show(s.emitted)}\n  want: ${show(want.emitted)}`)
      }
      if (typeof want.json === 'string') {
        const expect = JSON.parse(want.json)
        if (!sameJson(s.object, expect)) failures.push(`${label}: result\n  ours: ${show(s.object)}\n  want: ${show(expect)}`)
      }
    }
  }
  const failed = marks.filter(([, start], i) => (i + 1 < marks.length ? marks[i + 1][1] : failures.length) > start).map(([l]) => l)
  r.known = failed.filter((l) => POSTBUILD_KNOWN.includes(l)).length
  r.passed = r.cases - failed.length
  // Every known difference must still be one (so the list cannot go stale).
  const inFile = (k) => data.cases.some((c) => typeof c.name === 'string' && k.startsWith(c.name))
  for (const k of POSTBUILD_KNOWN) {
    if (inFile(k) && !failures.some((f) => f.startsWith(k))) failures.push(`${k}: listed as a known difference but now matches upstream`)
  }
  r.failures = failures.filter((f) => !POSTBUILD_KNOWN.some((k) => f.startsWith(k) && !f.endsWith('now matches upstream')))
  if (r.cases === 0) r.failures.push('no resource checked')
  return r
}

// ---------------------------------------------------------------------------
// postbuild/emit.json and postbuild/source.json (emit_conformance.rs)
// ---------------------------------------------------------------------------

function runEmit(api, path) {
  const data = readJson(path)
  const r = result('postbuild/emit.json', data.cases.length)
  for (const n of EMIT_NOT_REPRESENTABLE) {
    if (!data.cases.some((c) => c.name === n)) r.failures.push(`NOT_REPRESENTABLE names a case that does not exist: ${n}`)
  }
  for (const c of data.cases) {
    const name = c.name ?? '?'
    if (EMIT_NOT_REPRESENTABLE.includes(name)) {
      r.skipped++
      continue
    }
    let value
    try {
      value = parseJsonExact(c.json)
    } catch (e) {
      r.failures.push(`${name}: the text is not JSON (${e.message}); list it in NOT_REPRESENTABLE`)
      continue
    }
    const got = attempt(() => api.jsonToYaml(value))
    let ok
    if ('err' in got && typeof c.error === 'string') ok = got.err.message.startsWith(c.error)
    else if ('ok' in got && c.error === undefined && c.nondeterministic === true) {
      // Go orders these keys at random: compare the sorted lines. (Rust also checks that
      // its key order sees the cycle Go's does: a Rust function.)
      const lines = got.ok.split('\n')
      if (lines.at(-1) === '') lines.pop()
      lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      ok = sameJson(lines, c.lines)
    } else if ('ok' in got && c.error === undefined) ok = got.ok === c.yaml
    else ok = false
    if (ok) r.passed++
    else {
      const want = typeof c.error === 'string' ? `error ${show(c.error)}` : c.nondeterministic ? `lines ${show(c.lines)}` : show(c.yaml)
      r.failures.push(`${name}: json ${c.json}\n  want ${want}\n  got  ${'err' in got ? errText(got.err) : show(got.ok)}`)
    }
  }
  return r
}

function runSource(api, path) {
  const data = readJson(path)
  const r = result('postbuild/source.json', data.cases.length)
  for (const n of SOURCE_KNOWN) {
    if (!data.cases.some((c) => c.name === n)) r.failures.push(`KNOWN_DIFFERENCES names a case that does not exist: ${n}`)
  }
  for (const c of data.cases) {
    const name = c.name ?? '?'
    let expect
    if (typeof c.error === 'string') {
      expect = RESOURCE_CHECKS.some((x) => c.error.includes(x)) ? { resourceCheck: true } : { fails: c.error }
    } else if (c.resource_count !== 1) expect = { count: c.resource_count }
    else if (typeof c.json_error === 'string') expect = { fails: c.json_error }
    else expect = { json: c.json, emitted: typeof c.emitted === 'string' ? { ok: c.emitted } : { err: c.emit_error } }
    if (expect.resourceCheck || (expect.count !== undefined && expect.count > 1)) {
      r.skipped++
      continue
    }
    const got = attempt(() => api.yamlToJson(c.yaml, { schema: 'kustomize' }))
    const failed = 'err' in got
    const roots = failed ? [] : got.ok.filter((d) => d !== null)
    let problem = null
    if (expect.count !== undefined) {
      if (failed || roots.length > 0) problem = `no resource, we load ${show(roots)}${failed ? ` (${errText(got.err)})` : ''}`
    } else if (expect.fails !== undefined) {
      if (!failed) problem = `Go fails (${expect.fails}) but the document loads`
    } else {
      const want = parseJsonExact(expect.json)
      if (failed || roots.length !== 1) problem = `Go loads it but we report ${failed ? errText(got.err) : `${roots.length} documents`}`
      else if (!sameJson(roots[0], want)) problem = `want ${show(want)}\n  got  ${show(roots[0])}`
      else {
        const emitted = attempt(() => api.jsonToYaml(roots[0]))
        const same = 'ok' in expect.emitted ? 'ok' in emitted && emitted.ok === expect.emitted.ok : 'err' in emitted
        if (!same) problem = `want emitted ${show(expect.emitted)}\n  got          ${'err' in emitted ? errText(emitted.err) : show(emitted.ok)}`
      }
    }
    const listed = SOURCE_KNOWN.includes(name)
    if (problem === null && !listed) r.passed++
    else if (problem === null) r.failures.push(`${name}: listed as a known difference but now matches kustomize`)
    else if (listed) r.known++
    else r.failures.push(`${name}: source ${show(c.yaml)}\n  ${problem}`)
  }
  return r
}

// ---------------------------------------------------------------------------
// Every file
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// artifact/generated.json (artifact_conformance.rs)
// ---------------------------------------------------------------------------

// The oracle's xorshift32 content.
function randomBytes(r) {
  const out = Buffer.alloc(r.size)
  const alphabet = Buffer.from(r.alphabet)
  let x = r.seed >>> 0
  for (let i = 0; i < r.size; i++) {
    x = (x ^ (x << 13)) >>> 0
    x = (x ^ (x >>> 17)) >>> 0
    x = (x ^ (x << 5)) >>> 0
    out[i] = alphabet.length ? alphabet[x % alphabet.length] : x & 0xff
  }
  return out
}

function buildTree(root, entries) {
  for (const e of entries) {
    const p = join(root, e.path)
    mkdirSync(dirname(p), { recursive: true })
    const mode = e.mode ? parseInt(e.mode, 8) : undefined
    if (e.type === 'dir') {
      mkdirSync(p, { recursive: true })
      chmodSync(p, mode ?? 0o755)
    } else if (e.type === 'symlink') {
      symlinkSync(e.target, p)
    } else {
      writeFileSync(p, e.random ? randomBytes(e.random) : (e.content ?? '').repeat(e.repeat || 1))
      chmodSync(p, mode ?? 0o644)
    }
  }
}

// Per tree: the tar stream byte for byte, and the gzip artifact with Go's digest and size.
function runArtifact(api, path) {
  const trees = readJson(path)
  const r = result('artifact/generated.json', trees.length)
  if (trees.length < 8) r.failures.push(`only ${trees.length} trees`)
  for (const t of trees) {
    const tmp = mkdtempSync(join(tmpdir(), 'fluxcd-core-artifact-'))
    try {
      const root = join(tmp, 'checkout')
      mkdirSync(root)
      buildTree(root, t.entries)
      const tar = Buffer.from(api.tarStream(root, { ignore: t.ignore ?? undefined }))
      const out = join(tmp, 'a.tar.gz')
      const a = api.archive(root, out, { ignore: t.ignore ?? undefined })
      const gz = readFileSync(out)
      let why = null
      if (createHash('sha256').update(tar).digest('hex') !== t.tar_sha256 || tar.length !== t.tar_size) {
        const want = Buffer.from(t.tar_base64, 'base64')
        let i = 0
        while (i < tar.length && i < want.length && tar[i] === want[i]) i++
        why = `tar stream differs: ${tar.length} bytes vs ${t.tar_size}, first difference at byte ${i}`
      } else if (a.files !== t.files) why = `files ${a.files}, want ${t.files}`
      else if (!gunzipSync(gz).equals(tar)) why = 'the gzip artifact does not hold the tar stream'
      else if (a.digest !== t.digest || a.size !== t.size) why = `gzip artifact ${a.digest} (${a.size} bytes), Go's ${t.digest} (${t.size} bytes)`
      if (why === null) r.passed++
      else r.failures.push(`${t.name}: ${why}`)
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  }
  return r
}

/**
 * The vector files of conformance/ with how to run each through `api`: a list of
 * `{ name, run }`, `run()` returning one result (or several for values/).
 */
export function conformanceFiles(api, root = CONFORMANCE_DIR) {
  const files = []
  const add = (name, run) => files.push({ name, run })
  add('yaml/scalars.json', () => runYaml(api, join(root, 'yaml', 'scalars.json')))
  for (const p of vectorFiles('subst', join(root, 'subst'))) add(`subst/${p.split('/').pop()}`, () => runSubst(api, p))
  add('deps/upstream-sort.json', () => runDepsSort(api, join(root, 'deps', 'upstream-sort.json'), 5))
  add('deps/generated.json', () => runDepsSort(api, join(root, 'deps', 'generated.json'), 150))
  add('deps/ready-expr.json', () => runReadyExpr(api, join(root, 'deps', 'ready-expr.json')))
  add('release/upstream.json', () => runRelease(api, join(root, 'release', 'upstream.json'), 15))
  add('release/generated.json', () => runRelease(api, join(root, 'release', 'generated.json'), 150))
  add('image/generated.json', () => runImage(api, join(root, 'image', 'generated.json'), 100))
  add('semver/upstream.json', () => runSemver(api, join(root, 'semver', 'upstream.json'), 300))
  add('semver/generated.json', () => runSemver(api, join(root, 'semver', 'generated.json'), 500))
  add('values/{upstream,strvals,strvals-upstream,generated}.json', () => runValues(api, join(root, 'values')))
  for (const f of ['upstream-pkg.json', 'upstream-controller.json', 'generated.json']) {
    const p = join(root, 'postbuild', f)
    if (existsSync(p)) add(`postbuild/${f}`, () => runPostbuild(api, p))
  }
  const emit = join(root, 'postbuild', 'emit.json')
  if (existsSync(emit)) add('postbuild/emit.json', () => runEmit(api, emit))
  const source = join(root, 'postbuild', 'source.json')
  if (existsSync(source)) add('postbuild/source.json', () => runSource(api, source))
  const signature = join(root, 'signature', 'objects.json')
  if (existsSync(signature) && typeof api.verifyCommitSignature === 'function') {
    add('signature/objects.json', () => runSignature(api, signature))
  }
  // Native packages only: the WASM build has no filesystem archive functions.
  const artifact = join(root, 'artifact', 'generated.json')
  if (existsSync(artifact) && typeof api.tarStream === 'function') add('artifact/generated.json', () => runArtifact(api, artifact))
  return files
}

/** Runs every file; returns the flat list of results. */
export function runConformance(api, root = CONFORMANCE_DIR) {
  return conformanceFiles(api, root).flatMap((f) => [f.run()].flat())
}

/**
 * Writes a result as conformance/RUNNERS.md says when CONFORMANCE_REPORT_DIR is set:
 * `$CONFORMANCE_REPORT_DIR/<runtime>/<file>.json` = `{"pass", "known", "skip"}`.
 */
export function writeReport(runtime, r, dir = process.env.CONFORMANCE_REPORT_DIR) {
  if (!dir) return
  const path = join(dir, runtime, r.file)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `{"pass": ${r.passed}, "known": ${r.known}, "skip": ${r.skipped}}\n`)
}
