//! The file system a plan reads: the disk ([`Disk`]) or a map of file paths to
//! contents held in memory ([`MemoryFs`], what the WebAssembly package plans).
//!
//! Every read of the plan engine (finding the YAML files, resolving a
//! Kustomization's `spec.path`, the postBuild linter, `.fluxcd-core.yaml`,
//! variables files) goes through a [`FileSystem`], so a checkout planned from
//! disk and the same files planned from memory give the same plan. On disk the
//! rules on symbolic links hold as before (never followed, each reported); a
//! [`MemoryFs`] has no links, so they never apply.
//!
//! A [`MemoryFs`] is rooted at `/` (also its current folder): a file
//! `clusters/prod/ks.yaml` of the map is `/clusters/prod/ks.yaml`, and its
//! folders exist because it does.
//!
//! ```
//! use std::path::Path;
//! use fluxcd_core::plan::fs::{FileSystem, MemoryFs};
//!
//! let fs = MemoryFs::new([("apps/cm.yaml", "kind: ConfigMap\n"), ("./ks.yaml", "a: 1\n")]).unwrap();
//! assert!(fs.is_dir(Path::new("/apps")));
//! assert!(fs.is_file(Path::new("apps/cm.yaml")));
//! assert_eq!(fs.read(Path::new("/ks.yaml")).unwrap(), b"a: 1\n");
//! let names: Vec<_> = fs.read_dir(Path::new("/")).unwrap().into_iter().map(|(p, _)| p).collect();
//! assert_eq!(names, [Path::new("/apps"), Path::new("/ks.yaml")]);
//! assert!(MemoryFs::new([("../x.yaml", "")]).is_err());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a path is, without following a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symbolic link (only on disk).
    Symlink,
    /// Anything else (a socket, a device...).
    Other,
}

/// The reads a plan makes. Paths may be relative (to [`FileSystem::current_dir`]).
pub trait FileSystem: Sync {
    /// What `path` is, without following a symbolic link (`symlink_metadata`).
    fn kind(&self, path: &Path) -> io::Result<EntryKind>;
    /// What `path` is after following symbolic links (`metadata`): never
    /// [`EntryKind::Symlink`].
    fn kind_followed(&self, path: &Path) -> io::Result<EntryKind>;
    /// The size of a file in bytes (after following links).
    fn len(&self, path: &Path) -> io::Result<u64>;
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The entries of a folder (`path` joined with each name), in no particular
    /// order, each with its [`FileSystem::kind`].
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(PathBuf, EntryKind)>>;
    /// The target of a symbolic link as written.
    fn read_link(&self, path: &Path) -> io::Result<PathBuf>;
    /// The absolute path with every link resolved (`canonicalize`).
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The folder relative paths start from.
    fn current_dir(&self) -> PathBuf;

    /// True when `path` exists (after following links).
    fn exists(&self, path: &Path) -> bool {
        self.kind_followed(path).is_ok()
    }
    /// True when `path` is a file (after following links).
    fn is_file(&self, path: &Path) -> bool {
        matches!(self.kind_followed(path), Ok(EntryKind::File))
    }
    /// True when `path` is a folder (after following links).
    fn is_dir(&self, path: &Path) -> bool {
        matches!(self.kind_followed(path), Ok(EntryKind::Dir))
    }
    /// The text of a file (`InvalidData` when it is not UTF-8).
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
    }
    /// `path` made absolute against [`FileSystem::current_dir`] and lexically
    /// normalized (no `.` or `..`), without touching the file system.
    fn absolute(&self, path: &Path) -> PathBuf {
        if path.has_root() {
            normalize(path)
        } else {
            normalize(&self.current_dir().join(path))
        }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn kind_of(ft: std::fs::FileType) -> EntryKind {
    if ft.is_symlink() {
        EntryKind::Symlink
    } else if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_file() {
        EntryKind::File
    } else {
        EntryKind::Other
    }
}

/// The machine's file system (`std::fs`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl FileSystem for Disk {
    fn kind(&self, path: &Path) -> io::Result<EntryKind> {
        std::fs::symlink_metadata(path).map(|m| kind_of(m.file_type()))
    }
    fn kind_followed(&self, path: &Path) -> io::Result<EntryKind> {
        std::fs::metadata(path).map(|m| kind_of(m.file_type()))
    }
    fn len(&self, path: &Path) -> io::Result<u64> {
        std::fs::metadata(path).map(|m| m.len())
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(PathBuf, EntryKind)>> {
        Ok(std::fs::read_dir(path)?
            .flatten()
            .filter_map(|e| Some((e.path(), kind_of(e.file_type().ok()?))))
            .collect())
    }
    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::read_link(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        path.canonicalize()
    }
    fn current_dir(&self) -> PathBuf {
        std::env::current_dir().unwrap_or_default()
    }
    fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.current_dir().join(path))
        }
    }
}

/// Why a [`MemoryFs`] cannot hold a file path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path:?}: {reason}")]
pub struct BadPath {
    /// The path as given.
    pub path: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Files held in memory, rooted at `/`, with no symbolic links.
#[derive(Debug, Clone, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
    dirs: BTreeSet<PathBuf>,
}

impl MemoryFs {
    /// The files of `entries` (path, content). A path is relative to the root
    /// (a leading `/` or `./` is ignored) and uses `/` between names.
    ///
    /// # Errors
    ///
    /// [`BadPath`] for an empty path, one that leaves the root (`..`), one
    /// naming a folder that is also a file, or the same file twice.
    pub fn new<P: AsRef<str>, C: AsRef<[u8]>>(
        entries: impl IntoIterator<Item = (P, C)>,
    ) -> Result<MemoryFs, BadPath> {
        let mut fs = MemoryFs::default();
        fs.dirs.insert(PathBuf::from("/"));
        for (path, content) in entries {
            let given = path.as_ref();
            let bad = |reason| BadPath {
                path: given.to_string(),
                reason,
            };
            let mut key = PathBuf::from("/");
            for part in given.split('/') {
                match part {
                    "" | "." => {}
                    ".." => return Err(bad("leaves the root of the files")),
                    name => key.push(name),
                }
            }
            if key == Path::new("/") {
                return Err(bad("names no file"));
            }
            if fs.dirs.contains(&key) {
                return Err(bad("is also a folder of another file"));
            }
            let mut dir = key.parent();
            while let Some(d) = dir {
                if fs.files.contains_key(d) {
                    return Err(bad("is inside a path that is also a file"));
                }
                fs.dirs.insert(d.to_path_buf());
                dir = d.parent();
            }
            if fs.files.insert(key, content.as_ref().to_vec()).is_some() {
                return Err(bad("is given twice"));
            }
        }
        Ok(fs)
    }

    fn key(&self, path: &Path) -> PathBuf {
        self.absolute(path)
    }

    fn not_found() -> io::Error {
        io::Error::new(io::ErrorKind::NotFound, "no such file or directory")
    }
}

impl FileSystem for MemoryFs {
    fn kind(&self, path: &Path) -> io::Result<EntryKind> {
        let k = self.key(path);
        if self.files.contains_key(&k) {
            Ok(EntryKind::File)
        } else if self.dirs.contains(&k) {
            Ok(EntryKind::Dir)
        } else {
            Err(Self::not_found())
        }
    }
    fn kind_followed(&self, path: &Path) -> io::Result<EntryKind> {
        self.kind(path)
    }
    fn len(&self, path: &Path) -> io::Result<u64> {
        self.read_ref(path).map(|b| b.len() as u64)
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_ref(path).map(<[u8]>::to_vec)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(PathBuf, EntryKind)>> {
        let k = self.key(path);
        if !self.dirs.contains(&k) {
            return Err(if self.files.contains_key(&k) {
                io::Error::other("not a directory")
            } else {
                Self::not_found()
            });
        }
        let child = |p: &Path| p.parent() == Some(k.as_path()) && p != k;
        let mut out: Vec<(PathBuf, EntryKind)> = Vec::new();
        let name = |p: &Path| path.join(p.file_name().unwrap_or_default());
        for d in self
            .dirs
            .range(k.clone()..)
            .take_while(|d| d.starts_with(&k))
        {
            if child(d) {
                out.push((name(d), EntryKind::Dir));
            }
        }
        for f in self
            .files
            .range(k.clone()..)
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(&k))
        {
            if child(f) {
                out.push((name(f), EntryKind::File));
            }
        }
        Ok(out)
    }
    fn read_link(&self, _path: &Path) -> io::Result<PathBuf> {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a symbolic link",
        ))
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.kind(path).map(|_| self.key(path))
    }
    fn current_dir(&self) -> PathBuf {
        PathBuf::from("/")
    }
}

impl MemoryFs {
    fn read_ref(&self, path: &Path) -> io::Result<&[u8]> {
        let k = self.key(path);
        match self.files.get(&k) {
            Some(b) => Ok(b),
            None if self.dirs.contains(&k) => Err(io::Error::other("is a directory")),
            None => Err(Self::not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_paths_are_rooted_and_folders_implied() {
        let fs = MemoryFs::new([("a/b/c.yaml", "x"), ("/a/d.yml", "y"), ("e", "")]).unwrap();
        assert_eq!(fs.kind(Path::new("a")).unwrap(), EntryKind::Dir);
        assert_eq!(fs.kind(Path::new("/a/b")).unwrap(), EntryKind::Dir);
        assert_eq!(
            fs.kind(Path::new("a/./b/../d.yml")).unwrap(),
            EntryKind::File
        );
        assert!(fs.kind(Path::new("a/x")).is_err());
        assert_eq!(fs.len(Path::new("a/b/c.yaml")).unwrap(), 1);
        let mut entries = fs.read_dir(Path::new("a")).unwrap();
        entries.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(
            entries,
            [
                (PathBuf::from("a/b"), EntryKind::Dir),
                (PathBuf::from("a/d.yml"), EntryKind::File)
            ]
        );
        assert!(fs.read_dir(Path::new("e")).is_err());
        assert!(fs.read(Path::new("a")).is_err());
        assert_eq!(
            fs.canonicalize(Path::new("a/b/..")).unwrap(),
            Path::new("/a")
        );
    }

    #[test]
    fn memory_rejects_paths_that_cannot_be_files() {
        for bad in [
            vec!["../x"],
            vec![""],
            vec!["./"],
            vec!["a", "a/b"],
            vec!["a/b", "a"],
            vec!["x", "./x"],
        ] {
            let entries = bad.iter().map(|p| (*p, ""));
            assert!(MemoryFs::new(entries).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn disk_reports_what_std_reports() {
        let dir = std::env::temp_dir().join(format!("fluxcd-core-fs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("f.yaml"), "abc").unwrap();
        let fs = Disk;
        assert_eq!(fs.kind(&dir.join("sub")).unwrap(), EntryKind::Dir);
        assert_eq!(fs.len(&dir.join("f.yaml")).unwrap(), 3);
        assert_eq!(fs.read_dir(&dir).unwrap().len(), 2);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("f.yaml"), dir.join("l.yaml")).unwrap();
            assert_eq!(fs.kind(&dir.join("l.yaml")).unwrap(), EntryKind::Symlink);
            assert_eq!(
                fs.kind_followed(&dir.join("l.yaml")).unwrap(),
                EntryKind::File
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
