//! The artifact tar stream against `conformance/artifact/generated.json`, written by
//! `conformance/oracle-artifact` (fluxcd/pkg/artifact v0.18.1 `Storage.Archive` with
//! the ignore patterns loaded as source-controller v1.9.1 loads them). Each tree is
//! rebuilt in a temp dir the way the oracle built it; the uncompressed stream must
//! be byte for byte the oracle's, and so must the gzip artifact (its `sha256:` digest
//! and size equal what `Archive` recorded).
#![cfg(all(feature = "git", not(target_arch = "wasm32")))]

mod common;

use base64::Engine;
use fluxcd_core::artifact::{archive, tar_stream, ArchiveOptions};
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Entry {
    path: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    repeat: usize,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    target: String,
    random: Option<Random>,
}

/// xorshift32 content, as the oracle generates it.
#[derive(Deserialize)]
struct Random {
    seed: u32,
    size: usize,
    alphabet: String,
}

impl Random {
    fn bytes(&self) -> Vec<u8> {
        let mut x = self.seed;
        let a = self.alphabet.as_bytes();
        (0..self.size)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if a.is_empty() {
                    x as u8
                } else {
                    a[(x % a.len() as u32) as usize]
                }
            })
            .collect()
    }
}

#[derive(Deserialize)]
struct Tree {
    name: String,
    entries: Vec<Entry>,
    ignore: Option<String>,
    tar_sha256: String,
    tar_size: usize,
    tar_base64: String,
    names: Vec<String>,
    files: usize,
    digest: String,
    size: u64,
}

struct Tmp(PathBuf);
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mode(s: &str, def: u32) -> u32 {
    if s.is_empty() {
        def
    } else {
        u32::from_str_radix(s, 8).unwrap()
    }
}

#[cfg(unix)]
fn chmod(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

fn build(root: &Path, t: &Tree) {
    for e in &t.entries {
        let p = root.join(&e.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        match e.kind.as_str() {
            "dir" => {
                std::fs::create_dir_all(&p).unwrap();
                chmod(&p, mode(&e.mode, 0o755));
            }
            "symlink" => std::os::unix::fs::symlink(&e.target, &p).unwrap(),
            _ => {
                let content = match (&e.random, e.repeat) {
                    (Some(r), _) => r.bytes(),
                    (None, 0) => e.content.clone().into_bytes(),
                    (None, n) => e.content.repeat(n).into_bytes(),
                };
                std::fs::write(&p, content).unwrap();
                chmod(&p, mode(&e.mode, 0o644));
            }
        }
    }
}

fn entry_names(tar: &[u8]) -> Vec<String> {
    // Our own minimal reader: USTAR prefix + name, PAX `path` records.
    let mut out = Vec::new();
    let mut i = 0;
    let mut pax_path: Option<String> = None;
    let cstr = |b: &[u8]| {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..end]).into_owned()
    };
    while i + 512 <= tar.len() {
        let h = &tar[i..i + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = usize::from_str_radix(cstr(&h[124..136]).trim(), 8).unwrap_or(0);
        let data = &tar[i + 512..i + 512 + size];
        if h[156] == b'x' {
            let text = String::from_utf8_lossy(data).into_owned();
            let rec = text
                .split_once(" path=")
                .map(|(_, v)| v.trim_end_matches('\n').to_string());
            pax_path = rec;
        } else {
            let prefix = cstr(&h[345..500]);
            let name = cstr(&h[0..100]);
            let full = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            out.push(pax_path.take().unwrap_or(full));
        }
        i += 512 + size.div_ceil(512) * 512;
    }
    out
}

fn check(t: &Tree, dir: &Path) -> Result<(), String> {
    let opts = ArchiveOptions {
        ignore: t.ignore.clone(),
        ..Default::default()
    };
    let ours = tar_stream(dir, &opts).map_err(|e| e.to_string())?;
    // Large streams are pinned by their sha256 only.
    let want = if t.tar_base64.is_empty() {
        if fluxcd_core::sha256::sha256_hex(&ours) != t.tar_sha256 || ours.len() != t.tar_size {
            return Err(format!(
                "tar stream differs: {} bytes vs {} expected (sha256 compared)",
                ours.len(),
                t.tar_size
            ));
        }
        ours.clone()
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(&t.tar_base64)
            .unwrap()
    };
    assert_eq!(want.len(), t.tar_size);
    assert_eq!(fluxcd_core::sha256::sha256_hex(&want), t.tar_sha256);
    if ours != want {
        let first = ours
            .iter()
            .zip(&want)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(want.len()));
        let block = first / 512 * 512;
        let show = |b: &[u8]| {
            String::from_utf8_lossy(&b[block.min(b.len())..(block + 512).min(b.len())]).into_owned()
        };
        return Err(format!(
            "tar stream differs: {} bytes vs {} expected, first difference at byte {first}; block {:?} vs {:?}",
            ours.len(),
            want.len(),
            show(&ours),
            show(&want),
        ));
    }
    assert_eq!(entry_names(&ours), t.names);
    // The artifact: a gzip of exactly this stream, with the file count of the oracle.
    let out = dir.with_extension("tar.gz");
    let a = archive(dir, &out, &opts).map_err(|e| e.to_string())?;
    if a.files != t.files {
        return Err(format!("files {} vs {}", a.files, t.files));
    }
    let gz = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut plain)
        .unwrap();
    if plain != want {
        return Err("the gzip artifact does not hold the expected stream".into());
    }
    if a.digest != t.digest || a.size != t.size {
        return Err(format!(
            "gzip artifact {} ({} bytes), Go's {} ({} bytes)",
            a.digest, a.size, t.digest, t.size
        ));
    }
    Ok(())
}

#[test]
fn tar_stream_matches_go_archive() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/artifact/generated.json");
    let trees: Vec<Tree> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(trees.len() >= 8);
    let tmp =
        Tmp(std::env::temp_dir().join(format!("fluxcd-core-artifact-conf-{}", std::process::id())));
    let mut failures = Vec::new();
    let mut pass = 0;
    for (i, t) in trees.iter().enumerate() {
        let dir = tmp.0.join(format!("{i}")).join("checkout");
        std::fs::create_dir_all(&dir).unwrap();
        build(&dir, t);
        match check(t, &dir) {
            Ok(()) => pass += 1,
            Err(e) => failures.push(format!("{}: {e}", t.name)),
        }
    }
    common::report("artifact/generated.json", pass, 0, 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checker_catches_a_wrong_answer() {
    // One flipped mode bit in a file must make the stream differ.
    let tmp = Tmp(std::env::temp_dir().join(format!(
        "fluxcd-core-artifact-conf-neg-{}",
        std::process::id()
    )));
    let dir = tmp.0.join("checkout");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("run.sh"), "x").unwrap();
    let a = tar_stream(&dir, &ArchiveOptions::default()).unwrap();
    chmod(&dir.join("run.sh"), 0o744);
    let b = tar_stream(&dir, &ArchiveOptions::default()).unwrap();
    assert_ne!(a, b);
    assert_eq!(entry_names(&a), vec![".", "run.sh"]);
}
