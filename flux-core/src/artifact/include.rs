//! `spec.include` (§5.4): the included artifact (a `.tar.gz` written by
//! [`super::archive`] or source-controller, or a directory) is unpacked to a
//! temporary directory, `SecureJoin(tmp, fromPath)` is renamed onto
//! `SecureJoin(checkout, toPath)` (parents created), so an existing non-empty
//! directory at `toPath` fails and an empty one is replaced.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::{os_error_text, ArtifactError};

/// Symlinks followed by [`secure_join`] before it gives up (`MaxSymlinkLimit`).
const MAX_SYMLINKS: usize = 255;

/// `securejoin.SecureJoin`: joins `unsafe_path` to `root` resolving symlinks as
/// if `root` were the filesystem root, so neither `..` nor a symlink (relative or
/// absolute) can leave `root`. Missing components are joined as they are.
///
/// ```
/// use fluxcd_core::artifact::secure_join;
/// use std::path::Path;
///
/// let p = secure_join(Path::new("/no/such/root"), "../../etc/passwd").unwrap();
/// assert_eq!(p, Path::new("/no/such/root/etc/passwd"));
/// ```
pub fn secure_join(root: &Path, unsafe_path: &str) -> io::Result<PathBuf> {
    if root.components().any(|c| c == Component::ParentDir) {
        return Err(io::Error::other(
            "root path provided to SecureJoin contains '..' components",
        ));
    }
    let mut current: Vec<String> = Vec::new();
    let mut remaining: String = unsafe_path.to_string();
    let mut links = 0;
    while !remaining.is_empty() {
        let (part, rest) = match remaining.find('/') {
            Some(i) => (remaining[..i].to_string(), remaining[i + 1..].to_string()),
            None => (remaining.clone(), String::new()),
        };
        remaining = rest;
        let mut next = current.clone();
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                next.pop();
            }
            p => next.push(p.to_string()),
        }
        if next.is_empty() {
            current.clear();
            continue;
        }
        let full = next.iter().fold(root.to_path_buf(), |acc, p| acc.join(p));
        let meta = match fs::symlink_metadata(&full) {
            Ok(m) => Some(m),
            Err(e) if is_not_exist(&e) => None,
            Err(e) => return Err(e),
        };
        match meta {
            Some(m) if m.file_type().is_symlink() => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(io::Error::other(format!(
                        "SecureJoin {}/{}: too many levels of symbolic links",
                        root.display(),
                        unsafe_path
                    )));
                }
                let dest = fs::read_link(&full)?;
                let dest = dest.to_string_lossy().into_owned();
                if dest.starts_with('/') {
                    current.clear();
                }
                remaining = format!("{dest}/{remaining}");
            }
            _ => current = next,
        }
    }
    Ok(current
        .iter()
        .fold(root.to_path_buf(), |acc, p| acc.join(p)))
}

fn is_not_exist(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(20)
}

/// [`apply_named_include`] with the include named after its `to_path`.
pub fn apply_include(
    checkout: &Path,
    included: &Path,
    from_path: Option<&str>,
    to_path: &str,
) -> Result<(), ArtifactError> {
    apply_named_include(to_path, checkout, included, from_path, to_path)
}

/// Copies `from_path` of the included artifact (a `.tar.gz` file or a directory)
/// to `to_path` inside `checkout`, as source-controller's `reconcileInclude`;
/// `name` (the included GitRepository) appears in the error texts. A directory
/// source is copied, never moved; symlinks in it are not copied.
pub fn apply_named_include(
    name: &str,
    checkout: &Path,
    included: &Path,
    from_path: Option<&str>,
    to_path: &str,
) -> Result<(), ArtifactError> {
    let from_text = from_path.unwrap_or("");
    let copy_err = |message: String| ArtifactError::IncludeCopy {
        name: name.to_string(),
        from: from_text.to_string(),
        to: to_path.to_string(),
        message,
    };
    let to = secure_join(checkout, to_path).map_err(|e| ArtifactError::IncludePath {
        name: name.to_string(),
        message: os_error_text(&e),
    })?;
    let tmp = unique_temp(checkout).map_err(|e| copy_err(os_error_text(&e)))?;
    let result = (|| {
        let unpack = tmp.join("unpack");
        let meta = fs::metadata(included).map_err(|e| {
            copy_err(format!(
                "open {}: {}",
                included.display(),
                os_error_text(&e)
            ))
        })?;
        if meta.is_dir() {
            copy_tree(included, &unpack).map_err(|e| copy_err(os_error_text(&e)))?;
        } else {
            untar_gz(included, &unpack).map_err(copy_err)?;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| copy_err(os_error_text(&e)))?;
        }
        let from = secure_join(&unpack, from_text).map_err(|e| copy_err(os_error_text(&e)))?;
        if let Err(e) = fs::metadata(&from) {
            let f = from.display();
            return Err(copy_err(format!(
                "cannot stat {f}: stat {f}: {}",
                os_error_text(&e)
            )));
        }
        fs::rename(&from, &to).map_err(|e| {
            let (f, t) = (from.display(), to.display());
            copy_err(format!(
                "link error: cannot rename {f} to {t}: rename {f} {t}: {}",
                os_error_text(&e)
            ))
        })
    })();
    let _ = fs::remove_dir_all(&tmp);
    result
}

fn unique_temp(checkout: &Path) -> io::Result<PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    loop {
        let p = checkout.join(format!(
            ".fluxcd-include-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        match fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Copies regular files and directories (modes kept); symlinks and special files are skipped.
fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    fs::set_permissions(dst, fs::metadata(src)?.permissions())?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let ft = entry.file_type()?;
        let target = dst.join(entry.file_name());
        if ft.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if ft.is_file() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The path of a tar entry under `dest`, or an error if it would leave it.
fn entry_path(dest: &Path, name: &str) -> Result<PathBuf, String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("tar entry {name:?} points outside the destination"));
                }
            }
            c => parts.push(c),
        }
    }
    Ok(parts.iter().fold(dest.to_path_buf(), |acc, p| acc.join(p)))
}

fn parse_octal(field: &[u8]) -> Result<u64, String> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        // base-256
        let mut v: u64 = (field[0] & 0x7f) as u64;
        for &b in &field[1..] {
            v = v.checked_mul(256).ok_or("tar: numeric field overflow")? + b as u64;
        }
        return Ok(v);
    }
    let s: String = field
        .iter()
        .map(|&b| b as char)
        .collect::<String>()
        .trim_matches(|c| c == ' ' || c == '\0')
        .to_string();
    let s = s.split('\0').next().unwrap_or("");
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| "archive/tar: invalid tar header".to_string())
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Unpacks a gzip tar of regular files and directories into `dest`
/// (other entry types are skipped, paths leaving `dest` refused).
fn untar_gz(file: &Path, dest: &Path) -> Result<(), String> {
    let f = fs::File::open(file)
        .map_err(|e| format!("open {}: {}", file.display(), os_error_text(&e)))?;
    let mut r = flate2::read::GzDecoder::new(io::BufReader::new(f));
    fs::create_dir_all(dest).map_err(|e| os_error_text(&e))?;
    let mut blk = [0u8; 512];
    let mut pax_path: Option<String> = None;
    let mut pax_size: Option<u64> = None;
    let mut long_name: Option<String> = None;
    loop {
        if let Err(e) = r.read_exact(&mut blk) {
            return Err(format!("requires gzip-compressed body: {e}"));
        }
        if blk.iter().all(|&b| b == 0) {
            return Ok(());
        }
        let typeflag = blk[156];
        let mut size = parse_octal(&blk[124..136])?;
        if let Some(s) = pax_size.take() {
            size = s;
        }
        let mut name = cstr(&blk[0..100]);
        if &blk[257..262] == b"ustar" {
            let prefix = cstr(&blk[345..500]);
            if !prefix.is_empty() && &blk[257..263] == b"ustar\0" {
                name = format!("{prefix}/{name}");
            }
        }
        if let Some(p) = pax_path.take() {
            name = p;
        }
        if let Some(p) = long_name.take() {
            name = p;
        }
        let padded = size.div_ceil(512) * 512;
        match typeflag {
            b'x' | b'g' | b'L' => {
                if size > 1 << 20 {
                    return Err("archive/tar: extended header too long".into());
                }
                let mut data = vec![0u8; padded as usize];
                r.read_exact(&mut data).map_err(|e| e.to_string())?;
                data.truncate(size as usize);
                if typeflag == b'L' {
                    long_name = Some(cstr(&data));
                } else if typeflag == b'x' {
                    let (p, s) = parse_pax(&data)?;
                    pax_path = p;
                    pax_size = s;
                }
            }
            b'0' | 0 | b'5' => {
                let path = entry_path(dest, &name)?;
                let mode = parse_octal(&blk[100..108])? as u32 & 0o777;
                if typeflag == b'5' || name.ends_with('/') {
                    fs::create_dir_all(&path).map_err(|e| os_error_text(&e))?;
                    set_mode(&path, mode | 0o700);
                    io::copy(&mut (&mut r).take(padded), &mut io::sink())
                        .map_err(|e| e.to_string())?;
                } else {
                    if let Some(parent) = path.parent() {
                        fs::create_dir_all(parent).map_err(|e| os_error_text(&e))?;
                    }
                    let mut out = fs::File::create(&path).map_err(|e| os_error_text(&e))?;
                    let n =
                        io::copy(&mut (&mut r).take(size), &mut out).map_err(|e| e.to_string())?;
                    if n != size {
                        return Err("unexpected EOF".into());
                    }
                    io::copy(&mut (&mut r).take(padded - size), &mut io::sink())
                        .map_err(|e| e.to_string())?;
                    set_mode(&path, mode);
                }
            }
            _ => {
                io::copy(&mut (&mut r).take(padded), &mut io::sink()).map_err(|e| e.to_string())?;
            }
        }
    }
}

fn parse_pax(data: &[u8]) -> Result<(Option<String>, Option<u64>), String> {
    let mut path = None;
    let mut size = None;
    let mut rest = data;
    while !rest.is_empty() {
        let sp = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or("archive/tar: invalid tar header")?;
        let len: usize = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("archive/tar: invalid tar header")?;
        if len <= sp + 1 || len > rest.len() {
            return Err("archive/tar: invalid tar header".into());
        }
        let rec = &rest[sp + 1..len - 1];
        if let Some(eq) = rec.iter().position(|&b| b == b'=') {
            let (k, v) = (&rec[..eq], &rec[eq + 1..]);
            match k {
                b"path" => path = Some(String::from_utf8_lossy(v).into_owned()),
                b"size" => size = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok()),
                _ => {}
            }
        }
        rest = &rest[len..];
    }
    Ok((path, size))
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(p, fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_p: &Path, _mode: u32) {}

#[cfg(test)]
mod tests {
    use super::super::tests_support::TempDir;
    use super::super::{archive, tar_stream, ArchiveOptions};
    use super::*;

    fn write(p: &Path, c: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, c).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn secure_join_cannot_escape() {
        let tmp = TempDir::new("securejoin");
        let root = tmp.path().join("root");
        fs::create_dir_all(root.join("a")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("abs")).unwrap();
        std::os::unix::fs::symlink("../../..", root.join("a/up")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        assert_eq!(secure_join(&root, "../../x").unwrap(), root.join("x"));
        assert_eq!(
            secure_join(&root, "abs/passwd").unwrap(),
            root.join("etc/passwd")
        );
        assert_eq!(secure_join(&root, "a/up/etc").unwrap(), root.join("etc"));
        assert_eq!(secure_join(&root, "a/./b/../c").unwrap(), root.join("a/c"));
        assert_eq!(secure_join(&root, "").unwrap(), root);
        let err = secure_join(&root, "loop/x").unwrap_err();
        assert!(
            err.to_string()
                .contains("too many levels of symbolic links"),
            "{err}"
        );
    }

    fn make_artifact(tmp: &Path) -> PathBuf {
        let src = tmp.join("included");
        write(&src.join("deploy/app.yaml"), "app");
        write(&src.join("deploy/sub/x.yaml"), "x");
        write(&src.join("root.yaml"), "root");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(
                src.join("deploy/sub/x.yaml"),
                fs::Permissions::from_mode(0o755),
            )
            .unwrap();
        }
        let out = tmp.join("included.tar.gz");
        archive(&src, &out, &ArchiveOptions::default()).unwrap();
        out
    }

    #[test]
    fn include_from_tarball_and_dir() {
        let tmp = TempDir::new("include");
        let art = make_artifact(tmp.path());
        let checkout = tmp.path().join("checkout");
        write(&checkout.join("own.yaml"), "own");
        apply_include(&checkout, &art, Some("deploy"), "vendor/app").unwrap();
        assert_eq!(
            fs::read_to_string(checkout.join("vendor/app/app.yaml")).unwrap(),
            "app"
        );
        assert_eq!(
            fs::read_to_string(checkout.join("vendor/app/sub/x.yaml")).unwrap(),
            "x"
        );
        assert!(!checkout.join("vendor/app/root.yaml").exists());
        // Whole artifact, default toPath = the repository name.
        apply_named_include("shared", &checkout, &art, None, "shared").unwrap();
        assert!(checkout.join("shared/root.yaml").exists());
        // The exec bit survives the round trip (0700 in the archive).
        let t1 = tar_stream(&tmp.path().join("included"), &ArchiveOptions::default()).unwrap();
        let t2 = tar_stream(&checkout.join("shared"), &ArchiveOptions::default()).unwrap();
        assert_eq!(t1, t2);
        // A directory source is copied, not moved.
        let src = tmp.path().join("included");
        apply_include(&checkout, &src, Some("deploy/sub"), "from-dir").unwrap();
        assert!(checkout.join("from-dir/x.yaml").exists());
        assert!(src.join("deploy/sub/x.yaml").exists());
        // No temp dir left behind.
        let left: Vec<_> = fs::read_dir(&checkout)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".fluxcd-include"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn include_errors_and_escapes() {
        let tmp = TempDir::new("include-err");
        let art = make_artifact(tmp.path());
        let checkout = tmp.path().join("checkout");
        write(&checkout.join("busy/file"), "x");
        fs::create_dir_all(checkout.join("empty")).unwrap();
        // Non-empty destination: rename fails.
        let err = apply_named_include("app", &checkout, &art, Some("deploy"), "busy").unwrap_err();
        assert_eq!(err.code(), "artifact.include_copy");
        let msg = err.to_string();
        assert!(
            msg.starts_with(
                "failed to copy 'app' include from deploy to busy: link error: cannot rename "
            ),
            "{msg}"
        );
        assert!(msg.ends_with(": directory not empty"), "{msg}");
        // Empty destination directory: replaced.
        apply_include(&checkout, &art, Some("deploy"), "empty").unwrap();
        assert!(checkout.join("empty/app.yaml").exists());
        // Missing fromPath.
        let err = apply_named_include("app", &checkout, &art, Some("nope"), "x").unwrap_err();
        assert!(err.to_string().contains("cannot stat "), "{err}");
        assert!(
            err.to_string().ends_with("no such file or directory"),
            "{err}"
        );
        // `..` cannot leave the checkout, on either side.
        apply_include(&checkout, &art, Some("../../../deploy"), "../../../escaped").unwrap();
        assert!(checkout.join("escaped/app.yaml").exists());
        assert!(!tmp.path().join("escaped").exists());
        // Nor can a symlink inside the checkout.
        #[cfg(unix)]
        {
            let outside = tmp.path().join("outside");
            fs::create_dir_all(&outside).unwrap();
            std::os::unix::fs::symlink("../outside", checkout.join("link")).unwrap();
            apply_include(&checkout, &art, Some("deploy"), "link/app").unwrap();
            assert!(checkout.join("outside/app/app.yaml").exists());
            assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
        }
    }

    #[test]
    fn untar_refuses_escaping_names() {
        let tmp = TempDir::new("untar");
        // Hand-made tar with a `../evil` entry.
        let mut tar = Vec::new();
        let mut tw = super::super::tar::TarWriter::new(&mut tar);
        tw.write_header(b"../evil", super::super::tar::TYPE_REG, 0o600, 1)
            .unwrap();
        tw.write_data(b"x").unwrap();
        tw.finish().unwrap();
        let gz = tmp.path().join("evil.tar.gz");
        let mut enc = flate2::write::GzEncoder::new(
            fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        io::Write::write_all(&mut enc, &tar).unwrap();
        enc.finish().unwrap();
        let checkout = tmp.path().join("checkout");
        fs::create_dir_all(&checkout).unwrap();
        let err = apply_include(&checkout, &gz, None, "x").unwrap_err();
        assert!(
            err.to_string().contains("points outside the destination"),
            "{err}"
        );
        assert!(!tmp.path().join("evil").exists());
        assert!(!checkout.join("evil").exists());
    }
}
