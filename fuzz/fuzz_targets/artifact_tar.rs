//! The GitRepository artifact (`artifact::archive`: our tar writer and our
//! port of Go's DEFLATE) on random trees written to a temp folder.
//!
//! A tree is built from fuzzed nodes: regular files (random, repetitive or
//! zero content, with or without the execute bit), directories (incl. `.git`),
//! names that are long (> 100 bytes), unicode or default-ignored, symlinks to
//! files and folders inside the tree and outside it, `.sourceignore` files
//! with fuzzed patterns, plus a fuzzed `spec.ignore` and small limits.
//!
//! Properties, checked with independent readers (flate2, the `tar` crate, sha2):
//! - the archive either fails with a limit error exactly when the tree's files
//!   exceed `max_files`/`max_size`, or
//! - the gzip decompresses to exactly `tar_stream`'s bytes, the digest and size
//!   are those of the file, and building it twice gives the same digest;
//! - the tar lists exactly the tree's non-ignored regular files and folders
//!   (each file with its content and its 0600/0700 mode), never a symlink,
//!   an absolute or `..` path, `.git`, or anything from outside the root.
#![no_main]

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use fluxcd_core::artifact::{self, ignore::Ignore, ArchiveOptions, ArtifactError};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

#[derive(Debug, Arbitrary)]
enum Name {
    Short(u8),
    Long(u8),
    Fuzzed(String),
    Special(u8),
}

#[derive(Debug, Arbitrary)]
enum Content {
    Bytes(Vec<u8>),
    Repeat(Vec<u8>, u16),
    Zeros(u16),
}

#[derive(Debug, Arbitrary)]
enum Node {
    File {
        dir: u8,
        name: Name,
        content: Content,
        exec: bool,
    },
    Dir {
        dir: u8,
        name: Name,
    },
    Symlink {
        dir: u8,
        name: Name,
        target: u8,
    },
    SourceIgnore {
        dir: u8,
        text: String,
    },
}

#[derive(Debug, Arbitrary)]
struct Case {
    nodes: Vec<Node>,
    ignore: Option<String>,
    max_size: Option<u16>,
    max_files: Option<u8>,
}

const SPECIAL: [&str; 10] = [
    ".git",
    "logo.png",
    ".github",
    "a.tar.gz",
    ".sourceignore",
    "ünïcödé",
    "with space",
    ".hidden",
    "x.yaml",
    "-dash",
];

/// A usable file name, or `None` (empty, `.`, `..`, a slash or NUL).
fn name(n: &Name) -> Option<String> {
    let s = match n {
        Name::Short(b) => format!("f{}", b % 16),
        Name::Long(b) => "l".repeat(100 + (*b as usize % 150)),
        Name::Fuzzed(s) => s.chars().take(60).collect(),
        Name::Special(b) => SPECIAL[*b as usize % SPECIAL.len()].to_string(),
    };
    if s.is_empty() || s == "." || s == ".." || s.contains(['/', '\0']) {
        return None;
    }
    Some(s)
}

fn content(c: &Content) -> Vec<u8> {
    match c {
        Content::Bytes(b) => b.clone(),
        Content::Repeat(b, n) => {
            let unit = if b.is_empty() { &b"ab"[..] } else { &b[..] };
            unit.iter()
                .copied()
                .cycle()
                .take((*n as usize % 8192) * unit.len().min(8))
                .collect()
        }
        Content::Zeros(n) => vec![0; *n as usize],
    }
}

/// The regular files and folders of the tree (relative, without following a
/// symlink or entering `.git`), independently of the archive writer.
fn walk(
    root: &Path,
    rel: &mut Vec<Vec<u8>>,
    files: &mut Vec<Vec<Vec<u8>>>,
    dirs: &mut Vec<Vec<Vec<u8>>>,
) {
    dirs.push(rel.clone());
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    for e in rd.flatten() {
        let n = e.file_name();
        let ft = e.file_type().unwrap();
        rel.push(n.as_encoded_bytes().to_vec());
        if ft.is_dir() && n != ".git" {
            walk(&e.path(), rel, files, dirs);
        } else if ft.is_file() {
            files.push(rel.clone());
        }
        rel.pop();
    }
}

fn comps(p: &[Vec<u8>]) -> Vec<&[u8]> {
    p.iter().map(Vec::as_slice).collect()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|case: Case| {
    let base: PathBuf = std::env::temp_dir().join(format!(
        "fluxcd-core-fuzz-tar-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("root");
    let outside = base.join("outside");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("secret"), b"OUTSIDE THE ROOT").unwrap();
    std::fs::write(outside.join("dir/inner"), b"OUTSIDE THE ROOT").unwrap();

    let mut dirs: Vec<PathBuf> = vec![root.clone()];
    let mut made: Vec<PathBuf> = Vec::new();
    for node in case.nodes.iter().take(48) {
        match node {
            Node::File {
                dir,
                name: n,
                content: c,
                exec,
            } => {
                let Some(n) = name(n) else { continue };
                let p = dirs[*dir as usize % dirs.len()].join(n);
                if p.as_os_str().len() > 3000 || std::fs::symlink_metadata(&p).is_ok() {
                    continue;
                }
                std::fs::write(&p, content(c)).unwrap();
                let mode = if *exec { 0o755 } else { 0o644 };
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
                made.push(p);
            }
            Node::Dir { dir, name: n } => {
                let Some(n) = name(n) else { continue };
                let p = dirs[*dir as usize % dirs.len()].join(n);
                if p.as_os_str().len() > 3000 || std::fs::symlink_metadata(&p).is_ok() {
                    continue;
                }
                std::fs::create_dir(&p).unwrap();
                dirs.push(p.clone());
                made.push(p);
            }
            Node::Symlink {
                dir,
                name: n,
                target,
            } => {
                let Some(n) = name(n) else { continue };
                let p = dirs[*dir as usize % dirs.len()].join(n);
                if p.as_os_str().len() > 3000 || std::fs::symlink_metadata(&p).is_ok() {
                    continue;
                }
                let t = match target % 5 {
                    0 => outside.join("secret"),
                    1 => outside.join("dir"),
                    2 => PathBuf::from("../../outside/secret"),
                    3 if !made.is_empty() => made[*target as usize % made.len()].clone(),
                    _ => PathBuf::from("missing"),
                };
                std::os::unix::fs::symlink(&t, &p).unwrap();
            }
            Node::SourceIgnore { dir, text } => {
                let p = dirs[*dir as usize % dirs.len()].join(".sourceignore");
                if std::fs::symlink_metadata(&p).is_ok() {
                    continue;
                }
                std::fs::write(&p, text).unwrap();
            }
        }
    }

    let opts = ArchiveOptions {
        ignore: case.ignore.clone(),
        max_size: case.max_size.map(u64::from),
        max_files: case.max_files.map(usize::from),
    };
    let ignore = Ignore::load(&root, opts.ignore.as_deref()).unwrap();
    let (mut files, mut all_dirs) = (Vec::new(), Vec::new());
    walk(&root, &mut Vec::new(), &mut files, &mut all_dirs);
    let join = |p: &Vec<Vec<u8>>| -> String {
        if p.is_empty() {
            ".".to_string()
        } else {
            String::from_utf8_lossy(&p.join(&b'/')).into_owned()
        }
    };
    let want_files: BTreeSet<String> = files
        .iter()
        .filter(|f| !ignore.is_excluded_components(&comps(f), false))
        .map(&join)
        .collect();
    let want_dirs: BTreeSet<String> = all_dirs
        .iter()
        .filter(|d| !ignore.is_excluded_components(&comps(d), true))
        .map(&join)
        .collect();
    let total: u64 = want_files
        .iter()
        .map(|f| std::fs::metadata(root.join(f)).unwrap().len())
        .sum();

    let out = base.join("artifact.tar.gz");
    match artifact::archive(&root, &out, &opts) {
        Err(ArtifactError::TooManyFiles { limit, .. }) => {
            assert_eq!(Some(limit), opts.max_files);
            assert!(
                want_files.len() > limit,
                "{} files, limit {limit}",
                want_files.len()
            );
        }
        Err(ArtifactError::TooLarge { limit, .. }) => {
            assert_eq!(Some(limit), opts.max_size);
            assert!(total > limit, "{total} bytes, limit {limit}");
        }
        Err(e) => panic!("unexpected error {} {e}", e.code()),
        Ok(a) => {
            if let Some(limit) = opts.max_files {
                assert!(want_files.len() <= limit);
            }
            if let Some(limit) = opts.max_size {
                assert!(total <= limit);
            }
            let gz = std::fs::read(&out).unwrap();
            assert_eq!(a.size, gz.len() as u64);
            assert_eq!(a.digest, format!("sha256:{:x}", Sha256::digest(&gz)));
            assert_eq!(a.files, want_files.len());
            let mut tar_bytes = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut tar_bytes)
                .expect("the gzip decompresses");
            let stream = artifact::tar_stream(&root, &opts).unwrap();
            assert!(
                tar_bytes == stream,
                "gzip content differs from the tar stream"
            );
            let again = artifact::archive(&root, &base.join("again.tar.gz"), &opts).unwrap();
            assert_eq!(a, again, "not deterministic");

            let (mut got_files, mut got_dirs) = (BTreeSet::new(), BTreeSet::new());
            let mut reader = tar::Archive::new(&tar_bytes[..]);
            for entry in reader.entries().unwrap() {
                let mut entry = entry.unwrap();
                let path = entry.path().unwrap().into_owned();
                assert!(!path.is_absolute(), "{path:?}");
                assert!(
                    !path
                        .components()
                        .any(|c| c == std::path::Component::ParentDir),
                    "{path:?}"
                );
                let name = entry.path_bytes();
                let name = String::from_utf8_lossy(&name)
                    .trim_end_matches('/')
                    .to_string();
                let name = if name.is_empty() {
                    ".".to_string()
                } else {
                    name
                };
                let parts: Vec<&str> = name.split('/').collect();
                assert!(!parts[..parts.len() - 1].contains(&".git"), "{name}");
                match entry.header().entry_type() {
                    tar::EntryType::Directory => {
                        assert!(parts.last() != Some(&".git"), "{name}");
                        got_dirs.insert(name);
                    }
                    tar::EntryType::Regular => {
                        let mut data = Vec::new();
                        entry.read_to_end(&mut data).unwrap();
                        let disk = root.join(&name);
                        assert_eq!(data, std::fs::read(&disk).unwrap(), "{name}");
                        let exec =
                            std::fs::metadata(&disk).unwrap().permissions().mode() & 0o111 != 0;
                        let mode = entry.header().mode().unwrap();
                        assert_eq!(mode, if exec { 0o700 } else { 0o600 }, "{name}");
                        assert!(got_files.insert(name.clone()), "{name} twice");
                    }
                    t => panic!("entry {name} of type {t:?}"),
                }
            }
            assert_eq!(got_files, want_files);
            assert_eq!(got_dirs, want_dirs);
        }
    }
    let _ = std::fs::remove_dir_all(&base);
});
