// Type-checked with `tsc --noEmit -p test` against index.d.ts (and, in usage-web.ts,
// the web module's declarations): the API as a TypeScript user writes it. Never run
// (the behaviour is tested by *.test.mjs).
import {
  composeValues,
  dependencyOrder,
  envsubst,
  envsubstBytes,
  explainValues,
  graph,
  migrate,
  migrateReport,
  parse,
  parseSet,
  plan,
  planSarif,
  releaseName,
  releaseNames,
  replacePathValue,
  schema,
  shortenReleaseNameBytes,
  substitute,
  validate,
  valuesDigest,
  verifyValues,
  type Diagnostic,
  type FluxError,
  type KubernetesObject,
  type PlanFiles,
  type ReleaseNames,
} from '../index'

const objects: KubernetesObject[] = parse('kind: ConfigMap\n', { file: 'cm.yaml' })
const diagnostics: Diagnostic[] = validate(objects).concat(validate('kind: ConfigMap\n', { file: 'cm.yaml' }))
for (const d of diagnostics) {
  const where: string = `${d.file ?? '<input>'}:${d.line}:${d.column}`
  const severity: 'error' | 'warning' | 'info' = d.severity
  console.log(where, severity, d.code, d.message, d.hint ?? '')
}

const text: string = envsubst('${a:=1}', { a: 'x' }, { strict: false })
const bytes: Uint8Array = envsubstBytes('${a:0:1}', { a: 'é' })
const short: Uint8Array = shortenReleaseNameBytes(new TextEncoder().encode('a'.repeat(60)))
const out: KubernetesObject[] = substitute(objects, objects[0], { resources: [], strict: true, dryRun: false })

const hr: KubernetesObject = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' }
const values: Record<string, unknown> = composeValues(hr, { resources: objects })
const explained = explainValues(hr)
for (const leaf of explained.leaves) {
  if (leaf.source.layer === 'ref') console.log(leaf.path, leaf.source.kind, leaf.source.targetPath)
}
const set: Record<string, unknown> = parseSet(['a=1', 'b=2'], { dest: values, string: true })
const replaced: Record<string, unknown> = replacePathValue(set, 'a', 'x', { literal: true })
const digest: string = valuesDigest(replaced, { algorithm: 'sha512' })
const verified: boolean = verifyValues(digest, replaced)
const name: string = releaseName(hr)
const names: ReleaseNames = releaseNames(hr)
const chart: string | null = names.helmChart

const order: string[] = dependencyOrder(objects)
const g: Record<string, unknown> = graph(objects)
const files: PlanFiles = { 'ks.yaml': 'kind: Kustomization\n', 'prod.env': 'cluster=prod\n' }
const p: Record<string, unknown> = plan(files, { profiles: [], vars: { cluster: 'prod' }, varFiles: ['prod.env'], sources: {} })
const sarif: Record<string, unknown> = planSarif(new Map([['ks.yaml', 'kind: Kustomization\n']]), { profiles: ['flux', 'conventions'] })
const migrated: string = migrate('apiVersion: helm.toolkit.fluxcd.io/v2beta1\n')
const changes: number = migrateReport(migrated).changes.length
const s: Record<string, unknown> = schema('HelmRelease')

try {
  dependencyOrder(objects)
} catch (e) {
  const err = e as FluxError
  const code: string = err.code
  const line: number | undefined = err.location?.line
  const cycle: string[] | undefined = err.cycle
  if (err.name === 'DependencyCycleError') console.log(code, line, cycle, err.details)
}

// @ts-expect-error options come as an object, not as a boolean
envsubst('${a}', {}, true)
// @ts-expect-error objects are plain objects, not YAML text
releaseName('kind: HelmRelease')
// @ts-expect-error plan takes the files, not a folder
plan('examples/fleet')

console.log(text, bytes, short, out, values, verified, sarif, name, chart, order, g, p, changes, s)
