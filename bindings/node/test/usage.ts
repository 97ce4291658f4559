// Type-checked with `tsc --noEmit -p test` against the generated index.d.ts: the API as
// a TypeScript user writes it. Never run (the behaviour is tested by *.test.mjs).
import {
  archive,
  artifactPath,
  composeValues,
  dependencyOrder,
  envsubst,
  explainValues,
  fetch,
  graph,
  imagePolicy,
  imageUpdate,
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
  semverCheck,
  semverCompare,
  semverConstraint,
  semverParse,
  substitute,
  tarStream,
  validate,
  valuesDigest,
  verifyValues,
  type ArchiveResult,
  type Diagnostic,
  type FetchResult,
  type FluxError,
  type KubernetesObject,
  type ReleaseNames,
  type ImagePolicySelection,
  type ImageUpdateReport,
  type SemverVersion,
} from '../index'

const objects: KubernetesObject[] = parse('kind: ConfigMap\n', { file: 'cm.yaml' })
const diagnostics: Diagnostic[] = validate(objects).concat(validate('kind: ConfigMap\n', { file: 'cm.yaml' }))
for (const d of diagnostics) {
  const where: string = `${d.file ?? '<input>'}:${d.line}:${d.column}`
  const severity: 'error' | 'warning' | 'info' = d.severity
  console.log(where, severity, d.code, d.message, d.hint ?? '')
}

const text: string = envsubst('${a:=1}', { a: 'x' }, { strict: false })
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
const p: Record<string, unknown> = plan('examples/fleet', { profiles: [], vars: { cluster: 'prod' }, varFiles: ['prod.env'], sources: {} })
const sarif: Record<string, unknown> = planSarif('examples/fleet', { profiles: ['flux', 'conventions'] })
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

console.log(text, out, values, verified, sarif, name, chart, order, g, p, changes, s)

const fetched: FetchResult = fetch('https://example.com/repo.git', {
  outDir: 'store',
  ref: { semver: '>=1.0.0' },
  secret: { bearerToken: 'x' },
  timeout: 30,
})
const fetchedPath: string = fetched.path
void fetchedPath
const sv: SemverVersion = semverParse('v1.2.3')
const svOk: boolean = semverCheck('^1.2', sv.string) && semverCompare('1.0.0', sv.original) < 0
const svNorm: string = semverConstraint('>= 1.2')
void svOk
void svNorm


const artifact: ArchiveResult = archive('checkout', 'artifact.tar.gz', { ignore: '*.md\n', maxSize: 1 << 30, maxFiles: 10000 })
const stream: Buffer = tarStream('checkout', { ignore: artifact.digest })
const storagePath: string = artifactPath('GitRepository', 'flux-system', 'podinfo', String(stream.length))
console.log(storagePath)
const sel: ImagePolicySelection = imagePolicy({ spec: { policy: { semver: { range: '1.x' } } } }, ['1.0.0'])
const upd: ImageUpdateReport = imageUpdate('fleet', { select: { 'apps:app': sel.tag } })
void upd.files.map((f) => f.diff)

