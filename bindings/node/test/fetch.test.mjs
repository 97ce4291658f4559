// `fetch` against real repositories built with the git CLI: a file:// URL (git
// upload-pack) and `git daemon` on 127.0.0.1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const flux = require('../index.js')

const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
}
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=master', ...args], {
    cwd,
    env,
  })
    .toString()
    .trim()

function makeRepo() {
  const dir = mkdtempSync(join(tmpdir(), 'fluxcd-core-node-fetch-'))
  const src = join(dir, 'src')
  mkdirSync(join(src, 'deploy'), { recursive: true })
  git(src, 'init', '-q')
  writeFileSync(join(src, 'deploy', 'app.yaml'), 'kind: ConfigMap\n')
  git(src, 'add', '-A')
  git(src, 'commit', '-q', '-m', 'one')
  git(src, 'tag', 'v1.2.3')
  git(src, 'branch', 'staging')
  return { dir, src }
}

function thrown(f) {
  try {
    f()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

test('fetch a file:// repository: revision, artifact, digest', () => {
  const { dir, src } = makeRepo()
  try {
    const head = git(src, 'rev-parse', 'HEAD')
    const r = flux.fetch(`file://${src}`, { outDir: join(dir, 'store'), namespace: 'apps', name: 'app' })
    assert.equal(r.revision, `master@sha1:${head}`)
    assert.equal(r.storagePath, `gitrepository/apps/app/${head}.tar.gz`)
    const bytes = readFileSync(r.path)
    assert.equal(r.digest, 'sha256:' + createHash('sha256').update(bytes).digest('hex'))
    assert.equal(r.size, bytes.length)
    assert.equal(r.files, 1)
    const t = flux.fetch(`file://${src}`, { outDir: join(dir, 's2'), ref: { semver: '~1.2' } })
    assert.equal(t.revision, `v1.2.3@sha1:${head}`)
    const e = thrown(() => flux.fetch(`file://${src}`, { outDir: join(dir, 's3'), ref: { tag: 'v9' } }))
    assert.equal(e.code, 'git.ref_not_found')
    assert.equal(e.name, 'FetchError')
    const c = thrown(() => flux.fetch('https://u:Secr3tPass@127.0.0.1:9/r.git', { outDir: join(dir, 's4') }))
    assert.equal(c.code, 'git.url_credentials')
    assert.ok(!c.message.includes('Secr3tPass'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('fetch over git daemon on loopback', async () => {
  const { dir, src } = makeRepo()
  const srv = join(dir, 'srv')
  mkdirSync(srv)
  git(srv, 'clone', '-q', '--bare', src, 'repo.git')
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  const daemon = spawn(
    'git',
    ['daemon', '--export-all', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${srv}`, srv],
    { stdio: 'ignore' },
  )
  try {
    for (let i = 0; i < 100; i++) {
      const up = await new Promise((resolve) => {
        const c = connect(port, '127.0.0.1', () => {
          c.end()
          resolve(true)
        })
        c.on('error', () => resolve(false))
      })
      if (up) break
      await new Promise((r) => setTimeout(r, 50))
    }
    const r = flux.fetch(`git://127.0.0.1:${port}/repo.git`, { outDir: join(dir, 'store'), ref: { branch: 'staging' }, timeout: 30 })
    assert.equal(r.revision, 'staging@sha1:' + git(src, 'rev-parse', 'staging'))
    assert.equal(r.reference, 'refs/heads/staging')
  } finally {
    daemon.kill()
    rmSync(dir, { recursive: true, force: true })
  }
})
