// The WebAssembly package's API, as bindings/node/test/api.test.mjs tests the Node
// package's: argument decoding, options objects, number conversions, and the shape of
// the errors (code, message, name, location, details, cycle), with the same
// expectations. What differs is what the package does not take from the OS: `plan`
// and `planSarif` read a map of files (the Node test's folders, read here with
// node:fs), and bytes come back as Uint8Arrays. What the answers are is pinned by the
// conformance vectors (bindings/node/test/conformance.test.mjs with
// FLUXCD_CORE_MODULE=bindings/wasm, FLUXCD_CORE_RUNTIME=wasm).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const flux = require('../index.js')
const native = (() => {
  try {
    return require('../../node/index.js')
  } catch {
    return null
  }
})()
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** Every file under `dir` as `{relative path: text}`, what `plan` takes. */
function filesOf(dir) {
  const out = {}
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue
    const p = join(e.parentPath ?? e.path, e.name)
    out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8')
  }
  return out
}

const ks = (name, deps = [], extra = {}) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'flux-system' },
  spec: {
    interval: '10m',
    prune: true,
    sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    dependsOn: deps.map((d) => ({ name: d })),
    ...extra,
  },
})

const hr = (spec = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'podinfo', namespace: 'apps' },
  spec: {
    interval: '5m',
    chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'repo' } } },
    ...spec,
  },
})

/** Runs `f`, which must throw; returns the error. */
function thrown(f) {
  try {
    f()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

test('exports every function of the API in camelCase', () => {
  for (const name of [
    'parse', 'parseResources', 'validate', 'envsubst', 'substitute', 'composeValues', 'explainValues', 'releaseName',
    'releaseNames', 'dependencyOrder', 'graph', 'plan', 'planSarif', 'parseSet', 'replacePathValue', 'valuesDigest',
    'verifyValues', 'migrate', 'migrateReport', 'schema',
  ]) {
    assert.equal(typeof flux[name], 'function', name)
  }
  assert.equal(flux.fetch, undefined, 'no fetch in the WebAssembly package (no network, no git)')
  assert.match(flux.version(), /^\d+\.\d+\.\d+/)
})

test('parse keeps keys as written; YAML errors are ManifestErrors with a location', () => {
  const text = readFileSync(join(root, 'examples/fleet/platform/keycloak/release.yaml'), 'utf8')
  const objects = flux.parse(text, { file: 'release.yaml' })
  const hrs = objects.filter((o) => o.kind === 'HelmRelease')
  assert.ok(hrs.length >= 1)
  assert.equal(hrs[0].spec.chartRef.kind, 'OCIRepository')

  const e = thrown(() => flux.parse('a: [1\n', { file: 'bad.yaml' }))
  assert.ok(e instanceof Error)
  assert.equal(e.name, 'ManifestError')
  assert.match(e.code, /^yaml\./)
  assert.equal(e.category, 'Manifest')
  assert.equal(e.location.file, 'bad.yaml')
  assert.ok(e.location.line >= 1)
  assert.ok(Array.isArray(e.details.diagnostics) && e.details.diagnostics.length >= 1)
})

test('parseResources reads as kustomize build does: YAML 1.2, Lists unwrapped', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    k: yes\n'
  assert.deepEqual(flux.parseResources(text), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'yes' } }])
  assert.equal(flux.parse(text)[0].items[0].data.k, true)
  assert.equal(thrown(() => flux.parseResources('a: 1\na: 2\n', { file: 'r.yaml' })).location.file, 'r.yaml')
})

test('validate takes text or objects and returns located diagnostics', () => {
  const bad = { ...ks('apps'), spec: { prune: true } }
  const fromObjects = flux.validate([bad])
  const codes = fromObjects.map((d) => d.code)
  assert.ok(codes.includes('schema.required'), codes.join())
  const missing = fromObjects.find((d) => d.path === 'spec.interval')
  assert.equal(missing.severity, 'error')
  assert.equal(missing.document, 0)
  const text = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\nspec: {prune: true}\n'
  const fromText = flux.validate(text, { file: 'ks.yaml' })
  assert.ok(fromText.some((d) => d.code === 'schema.required' && d.file === 'ks.yaml' && d.line === 4))
  assert.deepEqual(flux.validate([ks('ok')]), [])
})

test('envsubst: options object, strict by default, errors with code and location', () => {
  assert.equal(flux.envsubst('${a}-${b:=y}', { a: 'x' }), 'x-y')
  assert.equal(flux.envsubst('[${nope}]', {}, { strict: false }), '[]')
  const e = thrown(() => flux.envsubst('ok\n  ${nope}', { a: 'x' }))
  assert.equal(e.name, 'SubstitutionError')
  assert.equal(e.code, 'subst.undefined')
  assert.equal(e.message, 'variable not set (strict mode): "nope"')
  assert.deepEqual([e.location.line, e.location.column], [2, 3])
  assert.deepEqual(flux.envsubstTree('a${b:-c}'), [{ text: 'a' }, { param: 'b', name: ':-', args: [{ text: 'c' }] }])
  // Byte-based substrings can split a character: the bytes API keeps Go's bytes.
  const bytes = flux.envsubstBytes('${x:0:1}', { x: 'é' })
  assert.ok(bytes instanceof Uint8Array)
  assert.deepEqual([...bytes], [0xc3])
  assert.equal(thrown(() => flux.envsubst('${x:0:1}', { x: 'é' })).code, 'subst.invalid_utf8')
  // A value of the wrong type throws with the code napi gives it in the Node package.
  const e5 = thrown(() => flux.envsubst(5))
  assert.ok(e5 instanceof TypeError)
  assert.equal(e5.code, 'StringExpected')
  assert.equal(thrown(() => flux.releaseName('kind: HelmRelease')).code, 'ObjectExpected')
  assert.equal(thrown(() => flux.envsubst('x', { a: 1 })).code, 'InvalidArg')
  assert.equal(thrown(() => flux.envsubst('x', {}, { strict: 'yes' })).code, 'InvalidArg')
})

test('substitute runs the postBuild pipeline with substituteFrom resources', () => {
  const kust = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'default' },
    spec: { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] } },
  }
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { env: '${env}', n: '${n}' } }
  const vars = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vars' }, data: { env: 'prod', n: '3' } }
  const [out] = flux.substitute([obj], kust, { resources: [vars] })
  // As in Flux, the substituted text is read back as YAML: `${n}` was emitted without
  // quotes, so the value `3` comes back as a number.
  assert.deepEqual(out.data, { env: 'prod', n: 3 })

  const e = thrown(() => flux.substitute([obj], kust))
  assert.equal(e.code, 'postbuild.source_not_found')
  assert.equal(e.message, 'substitute from \'ConfigMap/vars\' error: configmaps "vars" not found')
  assert.match(e.details.controllerMessage, /^post build failed for 'ConfigMap\.v1\.\[noGrp\]\/x': /)
  assert.deepEqual(e.details.resource, { kind: 'ConfigMap', namespace: '', name: 'x' })

  const one = flux.substituteResource(obj, kust, { resources: [vars] })
  assert.equal(one.outcome, 'substituted')
  assert.match(one.emitted, /env: \$\{env\}/)
  // Dry run: substituteFrom is not read, so there are no variables and, as in Flux,
  // nothing is substituted.
  const dry = flux.substituteResource(obj, kust, { dryRun: true, resources: [vars] })
  assert.equal(dry.outcome, 'unchanged')
  assert.deepEqual(dry.object, obj)
  // With inline variables, strict mode (the default) fails on the one not set.
  const inline = { ...kust, spec: { postBuild: { substitute: { env: 'dev' } } } }
  const e2 = thrown(() => flux.substituteResource(obj, inline))
  assert.equal(e2.code, 'subst.undefined')
  assert.equal(flux.substituteResource(obj, inline, { strict: false }).object.data.n, null)
})

test('composeValues and explainValues read valuesFrom from resources', () => {
  const release = hr({ values: { a: 1 }, valuesFrom: [{ kind: 'ConfigMap', name: 'v' }] })
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v' }, data: { 'values.yaml': 'a: 0\nb: 2\n' } }
  assert.deepEqual(flux.composeValues(release, { resources: [cm] }), { a: 1, b: 2 })
  const ex = flux.explainValues(release, { resources: [cm] })
  assert.deepEqual(ex.leaves.map((l) => [l.path, l.source.layer]), [['a', 'inline'], ['b', 'ref']])
  assert.equal(ex.leaves[0].shadowed[0].source.layer, 'ref')
  const e = thrown(() => flux.composeValues(release))
  assert.equal(e.name, 'ValuesError')
  assert.equal(e.code, 'values.not_found')
  assert.deepEqual(flux.parseSet('a.b=1,c=x'), { a: { b: 1 }, c: 'x' })
  assert.deepEqual(flux.parseSet('a=1', { dest: { z: true }, string: true }), { z: true, a: '1' })
  assert.equal(thrown(() => flux.parseSet('a')).code, 'values.strvals')
  assert.deepEqual(flux.mergeValues({ a: { b: 1, c: 2 } }, { a: { b: 3 } }), { a: { b: 3, c: 2 } })
  assert.match(flux.valuesDigest({ a: 1 }), /^sha256:[0-9a-f]{64}$/)
})

test('parseSet lines, replacePathValue, valuesDigest algorithms and verifyValues', () => {
  // Several --set lines go into one map in order; a failing line stops there.
  assert.deepEqual(flux.parseSet(['a.b=1', 'a.c=x,a.b=2'], { dest: { z: 0 } }), { z: 0, a: { b: 2, c: 'x' } })
  assert.equal(thrown(() => flux.parseSet(['a=1', 'b'])).code, 'values.strvals')
  const dest = { image: { tag: '1.0' } }
  assert.deepEqual(flux.replacePathValue(dest, 'image.tag', "'2'"), { image: { tag: '2' } })
  assert.deepEqual(flux.replacePathValue(dest, 'image.tag', '2'), { image: { tag: 2 } })
  assert.deepEqual(flux.replacePathValue(dest, 'image.tag', '[a]', { literal: true }), { image: { tag: '[a]' } })
  assert.deepEqual(flux.replacePathValue(null, 'a', 'b'), { a: 'b' })
  assert.deepEqual(dest, { image: { tag: '1.0' } })
  assert.equal(thrown(() => flux.replacePathValue(null, 'l[-1].a', 'x')).code, 'values.strvals')
  for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512']) {
    const d = flux.valuesDigest({ a: 1 }, { algorithm })
    assert.ok(d.startsWith(`${algorithm}:`), d)
    assert.equal(flux.verifyValues(d, { a: 1 }), true)
    assert.equal(flux.verifyValues(d, { a: 2 }), false)
  }
  assert.equal(flux.valuesDigest({ a: 1 }, { algorithm: 'sha256' }), flux.valuesDigest({ a: 1 }))
  assert.equal(thrown(() => flux.valuesDigest({}, { algorithm: 'blake3' })).code, 'embed.invalid_argument')
  assert.equal(flux.verifyValues('', {}), false)
})

test('releaseName, releaseNames and the name helpers', () => {
  const release = hr({ targetNamespace: 'web' })
  assert.equal(flux.releaseName(release), 'web-podinfo')
  assert.deepEqual(flux.releaseNames(release), {
    releaseName: 'web-podinfo',
    releaseNamespace: 'web',
    storageNamespace: 'apps',
    helmChart: 'apps/apps-podinfo',
    composedName: 'web-podinfo',
    shortened: false,
  })
  const e = thrown(() => flux.releaseName(hr({ releaseName: 'Bad_Name' })))
  assert.equal(e.name, 'ReleaseError')
  assert.equal(e.code, 'release.invalid_name')
  assert.equal(thrown(() => flux.releaseName({ kind: 'ConfigMap' })).code, 'embed.invalid_argument')
  const long = 'a'.repeat(60)
  const short = flux.shortenReleaseName(long)
  assert.equal(short.length, 53)
  const text = (bytes) => new TextDecoder().decode(bytes)
  assert.equal(text(flux.shortenReleaseNameBytes(long)), short)
  assert.equal(text(flux.shortenReleaseNameBytes(Buffer.from(long))), short)
  assert.equal(text(flux.shortenReleaseNameBytes(new TextEncoder().encode(long))), short)
  assert.ok(flux.isValidReleaseName(short))
  assert.equal(flux.composeReleaseName('n', { targetNamespace: 't' }), 't-n')
  assert.equal(flux.composeReleaseName('n', { targetNamespace: 't', releaseName: 'r' }), 'r')
})

test('dependencyOrder, cycles as DependencyCycleError with .cycle, graph', () => {
  assert.deepEqual(flux.dependencyOrder([ks('apps', ['infra']), ks('infra')]), ['flux-system/infra', 'flux-system/apps'])
  const e = thrown(() => flux.dependencyOrder([ks('a', ['b']), ks('b', ['a'])]))
  assert.equal(e.name, 'DependencyCycleError')
  assert.equal(e.code, 'deps.cycle')
  assert.match(e.message, /^circular dependency detected: /)
  assert.ok(e.cycle.length >= 3)
  assert.equal(e.cycle[0], e.cycle.at(-1))
  assert.deepEqual(e.details.cycle, e.cycle)
  const g = flux.graph([ks('apps', ['infra']), ks('infra')])
  assert.equal(typeof g, 'object')
  assert.ok(JSON.stringify(g).includes('flux-system/infra'))
  assert.deepEqual(flux.sortDependents([{ name: 'a', namespace: 'n', dependsOn: [{ name: 'b' }] }, { name: 'b', namespace: 'n' }]), ['n/b', 'n/a'])
  flux.checkReadyExpr('dep.status.ready == true')
  assert.equal(thrown(() => flux.checkReadyExpr('dep.status.ready')).code, 'deps.ready_expr_type')
})

test('plan, migrate, schema', () => {
  const p = flux.plan(fleet)
  assert.equal(p.formatVersion, 2)
  assert.ok(p.kustomizations.some((k) => k.id === 'flux-system/sre-keycloak'))
  // A Map works as well as an object; paths may start with ./ or /.
  const asMap = new Map(Object.entries(fleet).map(([k, v], i) => [i % 2 ? `./${k}` : `/${k}`, v]))
  assert.deepEqual(flux.plan(asMap), p)
  for (const bad of ['../x.yaml', '', 'a/../../x.yaml']) {
    const e = thrown(() => flux.plan({ [bad]: 'a: 1\n' }))
    assert.equal(e.code, 'embed.invalid_argument', bad)
    assert.equal(e.name, 'FluxError')
  }
  assert.equal(thrown(() => flux.plan({ 'a.yaml': 'x: 1\n', 'a.yaml/b.yaml': '' })).code, 'embed.invalid_argument')
  assert.equal(thrown(() => flux.plan('examples/fleet')).code, 'ObjectExpected')
  assert.equal(thrown(() => flux.plan({ 'a.yaml': 5 })).code, 'ObjectExpected')
  assert.equal(thrown(() => flux.plan(fleet, { profiles: ['prod'] })).code, 'lint.profile')
  assert.deepEqual(flux.plan({}).kustomizations, [])
  const old = 'apiVersion: helm.toolkit.fluxcd.io/v2beta1 # keep\nkind: HelmRelease\n'
  assert.equal(flux.migrate(old), 'apiVersion: helm.toolkit.fluxcd.io/v2 # keep\nkind: HelmRelease\n')
  const report = flux.migrateReport(old)
  assert.deepEqual(report.changes[0], { line: 1, column: 13, kind: 'HelmRelease', from: 'helm.toolkit.fluxcd.io/v2beta1', to: 'helm.toolkit.fluxcd.io/v2' })
  assert.equal(flux.schema('helmrelease').type, 'object')
  assert.equal(typeof flux.schema(), 'object')
  const e = thrown(() => flux.schema('Nope'))
  assert.equal(e.code, 'embed.unknown_kind')
  assert.equal(e.name, 'FluxError')
  assert.equal(e.location, null)
})

test('numbers: safe integers cross as integers, larger ones as BigInt', () => {
  // 5e9 is outside the 32-bit range napi converts to integers by itself.
  assert.equal(flux.jsonToYaml({ a: 5000000000, b: 1.5, c: -0 }), 'a: 5000000000\nb: 1.5\nc: 0\n')
  // A BigInt within 64 bits is an exact integer.
  assert.equal(flux.jsonToYaml({ a: 12345678901234567890n }), 'a: 12345678901234567890\n')
  const [doc] = flux.yamlToJson('a: 12345678901234567890\nb: 9007199254740991\nc: 1.0\n')
  assert.deepEqual(doc, { a: 12345678901234567890n, b: 9007199254740991, c: 1 })
  assert.deepEqual(flux.yamlToJson('a: 1\na: 2\n'), [{ a: 2 }])
  assert.equal(thrown(() => flux.yamlToJson('a: 1\na: 2\n', { schema: 'kustomize' })).code, 'yaml.duplicate_key')
  assert.equal(thrown(() => flux.yamlToJson('x: 1', { schema: 'toml' })).code, 'embed.invalid_argument')
})

const fleetDir = join(root, 'examples/fleet')
const fleet = filesOf(fleetDir)
const codes = (report) => new Set(report.diagnostics.map((d) => d.code))

/** The codes of the fleet's "deliberate mistake: <code>" comments. */
function commentedMistakes(dir) {
  const out = new Set()
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.yaml')) continue
    for (const line of readFileSync(join(e.parentPath ?? e.path, e.name), 'utf8').split('\n')) {
      const m = line.match(/deliberate mistake: (\S+)/)
      if (m) out.add(m[1])
    }
  }
  return out
}

test('plan finds the deliberate mistakes of examples/fleet; profiles select the rules', () => {
  const commented = commentedMistakes(fleetDir)
  assert.ok(commented.size >= 7, [...commented].join(','))
  const found = codes(flux.plan(fleet))
  for (const code of commented) assert.ok(found.has(code), `${code} not reported`)
  const fluxOnly = codes(flux.plan(fleet, { profiles: ['flux'] }))
  assert.deepEqual([...fluxOnly].filter((c) => c.startsWith('conventions.')), [])
  assert.ok(fluxOnly.has('plan.wait_ignores_health_checks'))
  const log = flux.planSarif(fleet, { profiles: ['flux', 'conventions'] })
  assert.equal(log.version, '2.1.0')
  const results = log.runs[0].results
  assert.ok(results.some((r) => r.ruleId === 'conventions.secret_literal' &&
    r.locations[0].physicalLocation.artifactLocation.uri === 'platform/keycloak/release.yaml'))
})

test('plan takes varFiles, vars and sources among the files', () => {
  const files = {
    'ks.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization',
      'metadata: {name: tenant, namespace: flux-system}',
      'spec:', '  interval: 10m', '  path: ./deploy', '  prune: true',
      '  sourceRef: {kind: GitRepository, name: tenant}',
      '  postBuild:', '    substituteFrom:', '      - kind: ConfigMap', '        name: tenant-vars', '',
    ].join('\n'),
    'tenant/deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${team}\n  namespace: default\n',
    'vars.env': 'team=blue\n',
  }
  const sources = { tenant: 'tenant' }
  let p = flux.plan(files, { varFiles: ['vars.env'], sources })
  assert.equal(p.sources[0].name, 'tenant')
  assert.equal(p.kustomizations[0].objects[0].name, 'app-blue')
  assert.equal(p.kustomizations[0].objects[0].file, 'tenant/deploy/cm.yaml')
  p = flux.plan(files, { varFiles: ['vars.env'], vars: { team: 'red' }, sources })
  assert.equal(p.kustomizations[0].objects[0].name, 'app-red')
  assert.equal(flux.plan(files, { vars: { team: 'red' } }).kustomizations[0].pathFound, false)
  assert.equal(thrown(() => flux.plan(files, { sources: { tenant: 'nope' } })).code, 'embed.invalid_argument')
  assert.equal(thrown(() => flux.plan(files, { varFiles: ['missing.env'] })).code, 'io.read')
  // Options set to null are unset, as in the Node package.
  assert.deepEqual(flux.plan(files, { varFiles: null, vars: null, sources: null, profiles: null }), flux.plan(files))
})

test('the same answers as the Node package (when it is built)', { skip: native ? false : 'SKIPPED: bindings/node is not built' }, () => {
  // plan from files and plan from the folder: the same JSON.
  assert.deepEqual(flux.plan(fleet), native.plan(fleetDir))
  assert.deepEqual(flux.planSarif(fleet, { profiles: ['flux', 'conventions'] }), native.planSarif(fleetDir, { profiles: ['flux', 'conventions'] }))
  const release = readFileSync(join(fleetDir, 'platform/keycloak/release.yaml'), 'utf8')
  assert.deepEqual(flux.parse(release), native.parse(release))
  assert.deepEqual(flux.validate(release, { file: 'r.yaml' }), native.validate(release, { file: 'r.yaml' }))
  assert.deepEqual(flux.yamlToJson('a: 12345678901234567890\nb: -0\nc: 1e400\n'), native.yamlToJson('a: 12345678901234567890\nb: -0\nc: 1e400\n'))
  for (const v of [{ a: 2 ** 60, b: -(2 ** 53), c: 0.1, d: [null, true, 'x'] }, { a: 12345678901234567890n }]) {
    assert.equal(flux.jsonToYaml(v), native.jsonToYaml(v))
  }
  const errors = [
    () => thrown(() => flux.dependencyOrder([ks('a', ['b']), ks('b', ['a'])])),
    () => thrown(() => native.dependencyOrder([ks('a', ['b']), ks('b', ['a'])])),
  ].map((f) => f())
  for (const k of ['name', 'code', 'message', 'category', 'location', 'details', 'cycle']) {
    assert.deepEqual(errors[0][k], errors[1][k], k)
  }
})

test('semver functions, imagePolicy, and imageUpdate over a map of files (example fleet)', () => {
  assert.equal(flux.semverCompare('1.10.0', '1.9.0'), 1)
  assert.ok(flux.semverCheck('>=1.0.0-0', '1.2.0-rc.1'))
  assert.ok(!flux.semverCheck('>=1.0.0', '1.2.0-rc.1'))
  assert.equal(flux.semverParse('v1.2').string, '1.2.0')
  assert.throws(() => flux.semverCheck('!!1', '1.0.0'), (e) => e.code === 'semver.invalid_constraint')
  const files = filesOf(join(root, 'examples', 'fleet'))
  const policy = flux.parse(files['clusters/production/flux-system/image-automation.yaml'])[1]
  const s = flux.imagePolicy(policy, ['24.2.0', '24.4.0', '25.0.0', '24.5.0-rc.1', 'latest'])
  assert.equal(s.tag, '24.4.0')
  assert.deepEqual(s.dropped, ['24.5.0-rc.1', 'latest'])
  assert.throws(() => flux.imagePolicy(policy, ['latest']), (e) => e.code === 'imagepolicy.no_candidates')
  const out = flux.imageUpdate(files, { select: { 'flux-system:keycloak-chart': '24.4.0' } })
  assert.equal(out.files.length, 1)
  assert.equal(out.files[0].file, 'platform/keycloak/release.yaml')
  assert.equal(out.files[0].content, out.files[0].original.replace('tag: 24.3.1 #', 'tag: 24.4.0 #'))
  if (native) {
    // The same report as the native package reading the folder.
    assert.deepEqual(out, native.imageUpdate(join(root, 'examples', 'fleet'), { select: { 'flux-system:keycloak-chart': '24.4.0' } }))
  }
  assert.throws(() => flux.imageUpdate(files, { select: { x: '1' } }), (e) => e.code === 'imageupdate.invalid_select')
})
