//! The GitRepository artifact as source-controller writes it (flux-semantics §5.4–5.7):
//! ignore rules ([`Ignore`]), the tar stream of `fluxcd/pkg/artifact`'s `Archive`
//! ([`tar_stream`], byte for byte), the gzip artifact and its digest ([`archive`],
//! byte for byte Go's `compress/gzip` too),
//! `spec.include` copies ([`apply_include`]), sparse checkout checks
//! ([`check_sparse`]) and the storage path ([`artifact_path`]).
//!
//! ```
//! use fluxcd_core::artifact::{archive, artifact_path, tar_stream, ArchiveOptions};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-doc-artifact-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("deploy")).unwrap();
//! std::fs::write(dir.join("deploy/app.yaml"), "kind: ConfigMap\n").unwrap();
//! std::fs::write(dir.join("logo.png"), "png").unwrap(); // a default exclusion
//!
//! let opts = ArchiveOptions::default();
//! let tar = tar_stream(&dir, &opts).unwrap();
//! // ".", "deploy", "deploy/app.yaml" (+ one data block), two zero blocks.
//! assert_eq!(tar.len(), 512 * 6);
//!
//! let out = dir.with_extension("tar.gz");
//! let a = archive(&dir, &out, &opts).unwrap();
//! assert!(a.digest.starts_with("sha256:"));
//! assert_eq!(a.files, 1);
//! assert_eq!(a.size, std::fs::metadata(&out).unwrap().len());
//! assert_eq!(
//!     artifact_path("GitRepository", "flux-system", "podinfo", "0123abcd"),
//!     "gitrepository/flux-system/podinfo/0123abcd.tar.gz"
//! );
//! std::fs::remove_dir_all(&dir).unwrap();
//! std::fs::remove_file(&out).unwrap();
//! ```

mod goflate;
pub mod ignore;
mod include;
mod sparse;
pub mod tar;

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub use ignore::{Ignore, MatchResult, Pattern};
pub use include::{apply_include, apply_named_include, secure_join};
pub use sparse::check_sparse;

/// Mode of directories in the archive (`DefaultDirMode`).
pub const DEFAULT_DIR_MODE: u32 = 0o750;
/// Mode of non-executable files (`DefaultFileMode`).
pub const DEFAULT_FILE_MODE: u32 = 0o600;
/// Mode of files with any execute bit (`DefaultExeFileMode`).
pub const DEFAULT_EXE_FILE_MODE: u32 = 0o700;

/// Errors of the artifact module. Texts follow source-controller's where it has one.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    /// The directory to archive does not exist or is not a directory.
    #[error("invalid dir path: {}", .0.display())]
    InvalidDir(PathBuf),
    /// `.sourceignore` files could not be read.
    #[error("failed to load source ignore patterns from repository: {message}")]
    IgnoreLoad {
        /// The file or directory that failed.
        path: PathBuf,
        /// The OS error, as Go prints it.
        message: String,
    },
    /// Reading the tree failed while archiving.
    #[error("unable to archive artifact to storage: {message}")]
    Walk {
        /// The path that failed.
        path: PathBuf,
        /// The OS error, as Go prints it.
        message: String,
    },
    /// Writing the artifact file failed.
    #[error("unable to write artifact {}: {message}", .path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// The OS error.
        message: String,
    },
    /// The files to archive exceed `max_size` bytes (checked before reading a file).
    #[error("artifact size limit exceeded: {} would bring the content to {total} bytes, more than the limit of {limit} bytes", .path.display())]
    TooLarge {
        /// The file that would cross the limit.
        path: PathBuf,
        /// The content size with that file.
        total: u64,
        /// The limit.
        limit: u64,
    },
    /// More than `max_files` regular files would be archived.
    #[error("artifact file count limit exceeded: {} would be file number {count}, more than the limit of {limit}", .path.display())]
    TooManyFiles {
        /// The file that would cross the limit.
        path: PathBuf,
        /// Its number.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// `toPath` of an include could not be resolved inside the checkout.
    #[error("path calculation for include '{name}' failed: {message}")]
    IncludePath {
        /// The include's repository name (or its toPath when unknown).
        name: String,
        /// The cause.
        message: String,
    },
    /// Copying an include failed.
    #[error("failed to copy '{name}' include from {from} to {to}: {message}")]
    IncludeCopy {
        /// The include's repository name (or its toPath when unknown).
        name: String,
        /// `fromPath` as given (empty: artifact root).
        from: String,
        /// `toPath` as given.
        to: String,
        /// The cause.
        message: String,
    },
    /// A sparse checkout path cannot be resolved.
    #[error("failed to sparse checkout directories : sparse checkout dir '{dir}' cannot be resolved: {message}")]
    SparseResolve {
        /// The path as listed in `spec.sparseCheckout`.
        dir: String,
        /// The cause.
        message: String,
    },
    /// A sparse checkout path does not exist after checkout.
    #[error("failed to sparse checkout directories : sparse checkout dir '{dir}' does not exist in repository: {message}")]
    SparseMissing {
        /// The path as listed in `spec.sparseCheckout`.
        dir: String,
        /// The cause (`lstat <path>: no such file or directory`).
        message: String,
    },
}

impl ArtifactError {
    /// The stable code (registered in [`crate::codes`]).
    pub fn code(&self) -> &'static str {
        match self {
            ArtifactError::InvalidDir(_) => "artifact.invalid_dir",
            ArtifactError::IgnoreLoad { .. } => "artifact.ignore_load",
            ArtifactError::Walk { .. } => "artifact.walk",
            ArtifactError::Write { .. } => "artifact.write",
            ArtifactError::TooLarge { .. } => "artifact.too_large",
            ArtifactError::TooManyFiles { .. } => "artifact.too_many_files",
            ArtifactError::IncludePath { .. } => "artifact.include_path",
            ArtifactError::IncludeCopy { .. } => "artifact.include_copy",
            ArtifactError::SparseResolve { .. } => "artifact.sparse_resolve",
            ArtifactError::SparseMissing { .. } => "artifact.sparse_missing",
        }
    }
}

/// An OS error as Go prints it (`no such file or directory`), without Rust's
/// ` (os error N)` suffix.
pub(crate) fn os_error_text(e: &io::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" (os error ") {
        Some(i) if e.raw_os_error().is_some() => s[..i].to_string(),
        _ => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) if e.raw_os_error().is_some() => f.to_lowercase().collect::<String>() + c.as_str(),
        _ => s,
    }
}

/// Options of [`archive`] and [`tar_stream`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// `spec.ignore` (patterns in `.gitignore` format, one per line).
    pub ignore: Option<String>,
    /// The most bytes of file content the artifact may hold (sum of the sizes of
    /// the regular files archived, before compression); checked against each
    /// file's size before it is read.
    pub max_size: Option<u64>,
    /// The most regular files the artifact may hold.
    pub max_files: Option<usize>,
}

/// The artifact written by [`archive`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Archive {
    /// `sha256:<hex>` of the compressed bytes.
    pub digest: String,
    /// Compressed size in bytes.
    pub size: u64,
    /// Regular files archived.
    pub files: usize,
}

/// The storage path of an artifact (`ArtifactPath`): `<lowercase kind>/<namespace>/<name>/<commit>.tar.gz`,
/// joined and cleaned as Go's `path.Join` does.
pub fn artifact_path(kind: &str, namespace: &str, name: &str, commit: &str) -> String {
    let kind: String = kind.chars().flat_map(|c| c.to_lowercase()).collect();
    let file = format!("{commit}.tar.gz");
    go_path_join(&[&kind, namespace, name, &file])
}

/// Go's `path.Join`: non-empty elements joined with `/`, then `path.Clean`.
fn go_path_join(parts: &[&str]) -> String {
    let joined: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if joined.is_empty() {
        return String::new();
    }
    go_path_clean(&joined.join("/"))
}

/// Go's `path.Clean`.
fn go_path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            _ => out.push(part),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// The uncompressed tar stream `Archive` would write for `dir` (with the ignore
/// rules of the checkout and `opts.ignore`), byte for byte.
pub fn tar_stream(dir: &Path, opts: &ArchiveOptions) -> Result<Vec<u8>, ArtifactError> {
    let mut out = Vec::new();
    write_tar(dir, opts, &mut out)?;
    Ok(out)
}

/// Writes the tar stream of `dir` to `w`; returns the number of regular files.
pub fn write_tar<W: Write>(
    dir: &Path,
    opts: &ArchiveOptions,
    w: W,
) -> Result<usize, ArtifactError> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        _ => return Err(ArtifactError::InvalidDir(dir.to_path_buf())),
    }
    let ignore = Ignore::load(dir, opts.ignore.as_deref())?;
    let mut walker = Walker {
        ignore: &ignore,
        opts,
        tw: tar::TarWriter::new(w),
        files: 0,
        content: 0,
        buf: vec![0u8; 64 * 1024],
    };
    let walk_err = |path: &Path, e: io::Error| ArtifactError::Walk {
        path: path.to_path_buf(),
        message: os_error_text(&e),
    };
    let meta = fs::symlink_metadata(dir).map_err(|e| walk_err(dir, e))?;
    // A symlinked root is skipped like any symlink (Walk uses Lstat): an empty archive.
    if meta.is_dir() {
        walker.dir(dir, &mut Vec::new())?;
    }
    let files = walker.files;
    walker.tw.finish().map_err(|e| walk_err(dir, e))?;
    Ok(files)
}

struct Walker<'a, W: Write> {
    ignore: &'a Ignore,
    opts: &'a ArchiveOptions,
    tw: tar::TarWriter<W>,
    files: usize,
    content: u64,
    buf: Vec<u8>,
}

fn entry_name(rel: &[Vec<u8>]) -> Vec<u8> {
    if rel.is_empty() {
        return b".".to_vec();
    }
    rel.join(&b'/')
}

impl<W: Write> Walker<'_, W> {
    fn excluded(&self, rel: &[Vec<u8>], is_dir: bool) -> bool {
        let refs: Vec<&[u8]> = rel.iter().map(|p| p.as_slice()).collect();
        self.ignore.is_excluded_components(&refs, is_dir)
    }

    /// As Go's `*PathError` prints: `<op> <path>: <error>`.
    fn op_err(op: &str, path: &Path, e: io::Error) -> ArtifactError {
        ArtifactError::Walk {
            path: path.to_path_buf(),
            message: format!("{op} {}: {}", path.display(), os_error_text(&e)),
        }
    }

    fn io_err(path: &Path, e: io::Error) -> ArtifactError {
        Self::op_err("write", path, e)
    }

    /// Writes the directory's own entry, then its children in byte order.
    fn dir(&mut self, path: &Path, rel: &mut Vec<Vec<u8>>) -> Result<(), ArtifactError> {
        if !self.excluded(rel, true) {
            let name = entry_name(rel);
            self.tw
                .write_header(&name, tar::TYPE_DIR, DEFAULT_DIR_MODE, 0)
                .map_err(|e| Self::io_err(path, e))?;
        }
        let mut names = Vec::new();
        for entry in fs::read_dir(path).map_err(|e| Self::op_err("open", path, e))? {
            names.push(
                entry
                    .map_err(|e| Self::op_err("readdirent", path, e))?
                    .file_name(),
            );
        }
        names.sort();
        for name in names {
            let child = path.join(&name);
            let meta =
                fs::symlink_metadata(&child).map_err(|e| Self::op_err("lstat", &child, e))?;
            let ft = meta.file_type();
            rel.push(ignore::os_bytes(&name).to_vec());
            let r = if ft.is_dir() {
                // `.git` is never archived (the VCS patterns exclude it; we also
                // never descend into it, so no negation can bring it back).
                if name == ".git" {
                    Ok(())
                } else {
                    self.dir(&child, rel)
                }
            } else if ft.is_file() {
                self.file(&child, rel, &meta)
            } else {
                Ok(()) // symlinks, sockets, devices, fifos: skipped
            };
            rel.pop();
            r?;
        }
        Ok(())
    }

    fn file(
        &mut self,
        path: &Path,
        rel: &[Vec<u8>],
        meta: &fs::Metadata,
    ) -> Result<(), ArtifactError> {
        if self.excluded(rel, false) {
            return Ok(());
        }
        let size = meta.len();
        self.files += 1;
        if let Some(limit) = self.opts.max_files {
            if self.files > limit {
                return Err(ArtifactError::TooManyFiles {
                    path: PathBuf::from(String::from_utf8_lossy(&entry_name(rel)).into_owned()),
                    count: self.files,
                    limit,
                });
            }
        }
        let total = self.content.saturating_add(size);
        if let Some(limit) = self.opts.max_size {
            if total > limit {
                return Err(ArtifactError::TooLarge {
                    path: PathBuf::from(String::from_utf8_lossy(&entry_name(rel)).into_owned()),
                    total,
                    limit,
                });
            }
        }
        self.content = total;
        let mode = file_mode(meta);
        let mut f = File::open(path).map_err(|e| Self::op_err("open", path, e))?;
        self.tw
            .write_header(&entry_name(rel), tar::TYPE_REG, mode, size)
            .map_err(|e| Self::io_err(path, e))?;
        let mut left = size;
        while left > 0 {
            let want = left.min(self.buf.len() as u64) as usize;
            let n = f
                .read(&mut self.buf[..want])
                .map_err(|e| Self::io_err(path, e))?;
            if n == 0 {
                return Err(ArtifactError::Walk {
                    path: path.to_path_buf(),
                    message: format!(
                        "{}: archive/tar: missed writing {left} bytes",
                        path.display()
                    ),
                });
            }
            self.tw
                .write_data(&self.buf[..n])
                .map_err(|e| Self::io_err(path, e))?;
            left -= n as u64;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn file_mode(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    if meta.permissions().mode() & 0o111 != 0 {
        DEFAULT_EXE_FILE_MODE
    } else {
        DEFAULT_FILE_MODE
    }
}

#[cfg(not(unix))]
fn file_mode(_meta: &fs::Metadata) -> u32 {
    DEFAULT_FILE_MODE
}

/// Counts and hashes what goes through it.
struct Tee<W: Write> {
    inner: W,
    hasher: crate::sha256::Sha256,
    written: u64,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Archives `dir` to `out_file` as gzip-compressed tar (written to a temporary
/// file next to it, then renamed): the digest is `sha256:<hex>` of the compressed
/// bytes. Both the tar stream and the gzip bytes are Go's (`archive/tar` +
/// `compress/gzip` at the default level, as source-controller writes them), so the
/// digest is the one source-controller records for the same tree.
pub fn archive(
    dir: &Path,
    out_file: &Path,
    opts: &ArchiveOptions,
) -> Result<Archive, ArtifactError> {
    let werr = |e: io::Error| ArtifactError::Write {
        path: out_file.to_path_buf(),
        message: os_error_text(&e),
    };
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        _ => return Err(ArtifactError::InvalidDir(dir.to_path_buf())),
    }
    let parent = match out_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(werr)?;
    let file_name = out_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "artifact".into());
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let tmp = parent.join(format!(".{file_name}.{}-{seq}.tmp", std::process::id()));
    let result = (|| {
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(werr)?;
        let tee = Tee {
            inner: io::BufWriter::new(f),
            hasher: crate::sha256::Sha256::new(),
            written: 0,
        };
        let mut gz = gzip::GzipWriter::new(tee).map_err(werr)?;
        let files = write_tar(dir, opts, &mut gz)?;
        let mut tee = gz.finish().map_err(werr)?;
        tee.inner.flush().map_err(werr)?;
        let digest = format!("sha256:{}", hex(&tee.hasher.finalize()));
        Ok(Archive {
            digest,
            size: tee.written,
            files,
        })
    })();
    match result {
        Ok(a) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600)).map_err(werr)?;
            }
            if let Err(e) = fs::rename(&tmp, out_file) {
                let _ = fs::remove_file(&tmp);
                return Err(werr(e));
            }
            Ok(a)
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

mod gzip {
    //! The gzip member Go's `compress/gzip` writes with default settings: header
    //! `1f 8b 08 00`, MTIME 0, XFL 0, OS 255, no name; the DEFLATE body of
    //! [`super::goflate`]; CRC-32 and size trailer.
    use std::io::{self, Write};

    pub struct GzipWriter<W: Write> {
        enc: super::goflate::GoDeflater<W>,
        crc: flate2::Crc,
    }

    impl<W: Write> GzipWriter<W> {
        pub fn new(mut w: W) -> io::Result<Self> {
            w.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])?;
            Ok(GzipWriter {
                enc: super::goflate::GoDeflater::new(w),
                crc: flate2::Crc::new(),
            })
        }

        pub fn finish(self) -> io::Result<W> {
            let mut w = self.enc.finish()?;
            w.write_all(&self.crc.sum().to_le_bytes())?;
            w.write_all(&self.crc.amount().to_le_bytes())?;
            Ok(w)
        }
    }

    impl<W: Write> Write for GzipWriter<W> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = self.enc.write(buf)?;
            self.crc.update(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.enc.flush()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use std::path::{Path, PathBuf};

    /// A temp dir removed on drop.
    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new(tag: &str) -> TempDir {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let p = std::env::temp_dir().join(format!(
                "fluxcd-core-artifact-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::TempDir;
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            artifact_path("GitRepository", "default", "app", "abc"),
            "gitrepository/default/app/abc.tar.gz"
        );
        assert_eq!(
            artifact_path("GitRepository", "", "app", "abc"),
            "gitrepository/app/abc.tar.gz"
        );
        assert_eq!(
            artifact_path("GitRepository", "..", "..", "abc"),
            "../abc.tar.gz"
        );
        assert_eq!(go_path_clean("/../a/./b//c/.."), "/a/b");
        assert_eq!(go_path_clean("a/../.."), "..");
    }

    #[test]
    fn error_text_like_go() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(os_error_text(&e), "no such file or directory");
        let e = io::Error::from_raw_os_error(39);
        assert_eq!(os_error_text(&e), "directory not empty");
    }

    #[test]
    fn limits_fail_before_reading() {
        let tmp = TempDir::new("limits");
        let dir = tmp.path().join("repo");
        fs::create_dir_all(&dir).unwrap();
        // A 1 GiB sparse file: the size limit trips on its metadata, nothing is read.
        let f = File::create(dir.join("big.bin")).unwrap();
        f.set_len(1 << 30).unwrap();
        fs::write(dir.join("a.yaml"), "a").unwrap();
        let opts = ArchiveOptions {
            max_size: Some(1 << 20),
            ..Default::default()
        };
        let err = tar_stream(&dir, &opts).unwrap_err();
        assert_eq!(err.code(), "artifact.too_large");
        assert!(err.to_string().contains("big.bin"), "{err}");
        let out = tmp.path().join("out/a.tar.gz");
        let err = archive(&dir, &out, &opts).unwrap_err();
        assert_eq!(err.code(), "artifact.too_large");
        assert!(!out.exists());
        assert_eq!(
            fs::read_dir(tmp.path().join("out")).unwrap().count(),
            0,
            "temp file removed"
        );

        fs::remove_file(dir.join("big.bin")).unwrap();
        fs::write(dir.join("b.yaml"), "b").unwrap();
        let opts = ArchiveOptions {
            max_files: Some(1),
            ..Default::default()
        };
        let err = tar_stream(&dir, &opts).unwrap_err();
        assert_eq!(err.code(), "artifact.too_many_files");
        assert!(err.to_string().contains("b.yaml"));
        let opts = ArchiveOptions {
            max_files: Some(2),
            max_size: Some(2),
            ..Default::default()
        };
        assert!(tar_stream(&dir, &opts).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_and_git_never_archived() {
        let tmp = TempDir::new("links");
        let dir = tmp.path().join("repo");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(dir.join(".git/objects")).unwrap();
        fs::create_dir_all(dir.join("sub/.git")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret"), "s3cr3t").unwrap();
        fs::write(dir.join(".git/config"), "[core]").unwrap();
        fs::write(dir.join("sub/.git/HEAD"), "x").unwrap();
        fs::write(dir.join("ok.yaml"), "ok").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("out-dir")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret"), dir.join("out-file")).unwrap();
        // Even a user pattern re-including .git does not bring it in.
        let opts = ArchiveOptions {
            ignore: Some("!.git/\n!.git/config\n".into()),
            ..Default::default()
        };
        let tar = tar_stream(&dir, &opts).unwrap();
        let text = String::from_utf8_lossy(&tar);
        assert!(!text.contains("s3cr3t"));
        assert!(!text.contains(".git"));
        assert!(!text.contains("out-"));
        assert!(text.contains("ok.yaml"));
    }

    #[test]
    fn invalid_dir() {
        let tmp = TempDir::new("invalid");
        let err = tar_stream(&tmp.path().join("nope"), &ArchiveOptions::default()).unwrap_err();
        assert_eq!(err.code(), "artifact.invalid_dir");
        assert!(err.to_string().starts_with("invalid dir path: "));
    }

    #[test]
    fn gzip_member_is_valid_and_go_shaped() {
        let tmp = TempDir::new("gzip");
        let dir = tmp.path().join("repo");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("x.yaml"), "x: 1\n".repeat(1000)).unwrap();
        let out = tmp.path().join("a.tar.gz");
        let a = archive(&dir, &out, &ArchiveOptions::default()).unwrap();
        let bytes = fs::read(&out).unwrap();
        assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        assert_eq!(a.size, bytes.len() as u64);
        assert_eq!(
            a.digest,
            format!("sha256:{}", crate::sha256::sha256_hex(&bytes))
        );
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, tar_stream(&dir, &ArchiveOptions::default()).unwrap());
    }
}
