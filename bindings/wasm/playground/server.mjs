// A tiny static file server for the playground: serves a folder (the repository
// root by default) on 127.0.0.1, with the MIME types browsers need (application/wasm
// for WebAssembly.instantiateStreaming, text/javascript for ES modules). No server
// logic: GET and HEAD of files only, nothing outside the root.
//
//   node bindings/wasm/playground/server.mjs [--root DIR] [--port N]
//
// Port 0 (the default) lets the OS pick a free port; the URL is printed. Tests
// import `startServer` and read the port from the returned object.
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Starts the server. Resolves to `{ server, port, url, close() }` once it listens.
 * @param {{ root?: string, port?: number, host?: string, quiet?: boolean }} [options]
 */
export function startServer(options = {}) {
  const root = path.resolve(options.root ?? defaultRoot());
  const host = options.host ?? '127.0.0.1';
  const quiet = options.quiet ?? true;
  const server = createServer(async (req, res) => {
    const status = await serve(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
      return 500;
    });
    if (!quiet) console.log(`${status} ${req.method} ${req.url}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address();
      resolve({
        server,
        port,
        url: `http://${host}:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function defaultRoot() {
  // bindings/wasm/playground -> the repository root
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
}

async function serve(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    res.end('method not allowed\n');
    return 405;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    return notFound(res);
  }
  if (pathname.includes('\0')) return notFound(res);
  let file = path.resolve(root, '.' + path.posix.normalize(pathname));
  if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
  let stat = await fs.stat(file).catch(() => null);
  if (stat?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      res.writeHead(301, { location: pathname + '/' });
      res.end();
      return 301;
    }
    file = path.join(file, 'index.html');
    stat = await fs.stat(file).catch(() => null);
  }
  if (!stat?.isFile()) return notFound(res);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  await new Promise((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
  return 200;
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
  return 404;
}

// Run as a program.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = Number(opt('--port') ?? process.env.PORT ?? 0);
  const { url } = await startServer({ root: opt('--root'), port, quiet: !args.includes('--log') });
  const page = opt('--page') ?? 'bindings/wasm/playground/';
  console.log(`fluxcd-core playground: ${url}${page}`);
  console.log('(Ctrl-C to stop)');
}
