// The files of the playground in a URL fragment: JSON -> deflate-raw
// (CompressionStream) -> base64url, as `#files=...`. The fragment never reaches a
// server. Works in browsers and in Node 18+ (both have CompressionStream).

const PREFIX = 'files=';

/** Encodes `files` (`{path: text}`) as a URL fragment (without the `#`). */
export async function encodeFiles(files) {
  const json = JSON.stringify({ v: 1, files: Object.entries(files) });
  const bytes = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return PREFIX + toBase64Url(bytes);
}

/**
 * Decodes a fragment written by `encodeFiles` (with or without the `#`); `null`
 * when the fragment holds no files. Throws on a damaged fragment.
 */
export async function decodeFiles(hash) {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith(PREFIX)) return null;
  const bytes = await pipe(fromBase64Url(h.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
  const data = JSON.parse(new TextDecoder().decode(bytes));
  if (!data || data.v !== 1 || !Array.isArray(data.files)) throw new Error('unknown share format');
  const files = {};
  for (const entry of data.files) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
      throw new Error('bad file entry in the shared link');
    }
    files[entry[0]] = entry[1];
  }
  return files;
}

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
