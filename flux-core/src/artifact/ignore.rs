//! Ignore rules of source-controller (§5.5): the `.sourceignore` / `spec.ignore`
//! loader of `fluxcd/pkg/sourceignore` and the gitignore pattern matcher of its
//! go-git fork, with Go's `filepath.Match` for each path component.
//!
//! Paths are handled as byte strings (file names on Unix are bytes), split into
//! components. A pattern carries a *domain*: the components of the directory it
//! applies to (empty for the repository root); it only matches paths strictly
//! below its domain.

use std::path::{Component, Path, PathBuf};

use super::ArtifactError;

/// The name of the per-directory ignore file.
pub const IGNORE_FILE: &str = ".sourceignore";

/// Patterns that are always in force (`sourceignore.ExcludeVCS`).
pub const EXCLUDE_VCS: &str = ".git/,.gitignore,.gitmodules,.gitattributes";
/// Default extension patterns (`ExcludeExt`).
pub const EXCLUDE_EXT: &str = "*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip";
/// Default CI patterns (`ExcludeCI`).
pub const EXCLUDE_CI: &str = ".github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,cloudbuild.yaml,codeship-services.yml,codeship-steps.yml";
/// Default extra patterns (`ExcludeExtra`).
pub const EXCLUDE_EXTRA: &str = "**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml";

/// The longest line `bufio.Scanner` accepts (content before the newline is at
/// most this minus one byte); a longer line stops reading, keeping what came before.
const MAX_SCAN_TOKEN: usize = 64 * 1024;

/// What one pattern says about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchResult {
    /// The pattern does not apply.
    NoMatch,
    /// The path is excluded.
    Exclude,
    /// The path is included again (a `!` pattern).
    Include,
}

/// One gitignore pattern with its domain (go-git fork semantics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    domain: Vec<Vec<u8>>,
    parts: Vec<Vec<u8>>,
    inclusion: bool,
    dir_only: bool,
    is_glob: bool,
}

impl Pattern {
    /// Parses one pattern line (`ParsePattern`): a leading `!` negates, trailing
    /// spaces are dropped unless the line ends with `\ `, a trailing `/` means
    /// "directories only", and a `/` anywhere else anchors it to the domain.
    pub fn parse(line: &[u8], domain: &[&[u8]]) -> Pattern {
        let mut p = line;
        let mut inclusion = false;
        if let Some(rest) = p.strip_prefix(b"!") {
            inclusion = true;
            p = rest;
        }
        if !p.ends_with(b"\\ ") {
            while let Some(rest) = p.strip_suffix(b" ") {
                p = rest;
            }
        }
        let mut dir_only = false;
        if let Some(rest) = p.strip_suffix(b"/") {
            dir_only = true;
            p = rest;
        }
        let is_glob = p.contains(&b'/');
        Pattern {
            domain: domain.iter().map(|d| d.to_vec()).collect(),
            parts: p.split(|b| *b == b'/').map(|s| s.to_vec()).collect(),
            inclusion,
            dir_only,
            is_glob,
        }
    }

    /// Whether this pattern is a negation (`!`).
    pub fn is_negation(&self) -> bool {
        self.inclusion
    }

    /// Matches `path` (all components from the same root as the domain).
    pub fn matches(&self, path: &[&[u8]], is_dir: bool) -> MatchResult {
        if path.len() <= self.domain.len() {
            return MatchResult::NoMatch;
        }
        if self
            .domain
            .iter()
            .zip(path.iter())
            .any(|(d, p)| d.as_slice() != *p)
        {
            return MatchResult::NoMatch;
        }
        let rest = &path[self.domain.len()..];
        let hit = if self.is_glob {
            self.glob_match(rest, is_dir)
        } else {
            self.simple_name_match(rest, is_dir)
        };
        match (hit, self.inclusion) {
            (false, _) => MatchResult::NoMatch,
            (true, true) => MatchResult::Include,
            (true, false) => MatchResult::Exclude,
        }
    }

    fn simple_name_match(&self, path: &[&[u8]], is_dir: bool) -> bool {
        let pat = &self.parts[0];
        for (i, name) in path.iter().enumerate() {
            match go_match(pat, name) {
                Err(_) => return false,
                Ok(false) => continue,
                Ok(true) => {}
            }
            // A directory-only pattern may hit a file only through one of its parents.
            return !(self.dir_only && !is_dir && i == path.len() - 1);
        }
        false
    }

    fn glob_match(&self, path: &[&[u8]], is_dir: bool) -> bool {
        let mut path = path;
        let mut matched = false;
        let mut can_traverse = false;
        let last = self.parts.len() - 1;
        for (i, part) in self.parts.iter().enumerate() {
            if part.is_empty() {
                can_traverse = false;
                continue;
            }
            if part.as_slice() == b"**" {
                if i == last {
                    break;
                }
                can_traverse = true;
                continue;
            }
            if part.windows(2).any(|w| w == b"**") {
                return false;
            }
            if path.is_empty() {
                return false;
            }
            if can_traverse {
                can_traverse = false;
                while let Some((first, tail)) = path.split_first() {
                    path = tail;
                    match go_match(part, first) {
                        Err(_) => return false,
                        Ok(true) => {
                            matched = true;
                            break;
                        }
                        Ok(false) => {
                            if path.is_empty() {
                                matched = false;
                            }
                        }
                    }
                }
            } else {
                match go_match(part, path[0]) {
                    Ok(true) => {}
                    _ => return false,
                }
                matched = true;
                path = &path[1..];
            }
        }
        if matched && self.dir_only && !is_dir && path.is_empty() {
            matched = false;
        }
        matched
    }
}

/// Error of [`go_match`]: the pattern is malformed (Go's `ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

/// Go's `utf8.DecodeRuneInString` on bytes: (rune, width); invalid input gives
/// (U+FFFD, 1) and empty input (U+FFFD, 0).
fn decode_rune(s: &[u8]) -> (u32, usize) {
    if s.is_empty() {
        return (0xFFFD, 0);
    }
    let b0 = s[0];
    if b0 < 0x80 {
        return (b0 as u32, 1);
    }
    let (len, min, init) = match b0 {
        0xC2..=0xDF => (2, 0x80, (b0 & 0x1F) as u32),
        0xE0..=0xEF => (3, 0x800, (b0 & 0x0F) as u32),
        0xF0..=0xF4 => (4, 0x10000, (b0 & 0x07) as u32),
        _ => return (0xFFFD, 1),
    };
    if s.len() < len {
        return (0xFFFD, 1);
    }
    let mut r = init;
    for &b in &s[1..len] {
        if b & 0xC0 != 0x80 {
            return (0xFFFD, 1);
        }
        r = (r << 6) | (b & 0x3F) as u32;
    }
    if r < min || r > 0x10FFFF || (0xD800..=0xDFFF).contains(&r) {
        return (0xFFFD, 1);
    }
    (r, len)
}

/// Go's `filepath.Match` on Unix (separator `/`), on bytes.
pub fn go_match(pattern: &[u8], name: &[u8]) -> Result<bool, BadPattern> {
    let mut pattern = pattern;
    let mut name = name;
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if err {
            return Err(BadPattern);
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok, err) = match_chunk(chunk, &name[i + 1..]);
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                if err {
                    return Err(BadPattern);
                }
                i += 1;
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut p = pattern;
    let mut star = false;
    while let Some(rest) = p.strip_prefix(b"*") {
        p = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => return (star, &p[..i], &p[i..]),
            _ => {}
        }
        i += 1;
    }
    (star, p, &[])
}

/// Returns (rest, ok, bad_pattern).
fn match_chunk<'a>(chunk: &[u8], s: &'a [u8]) -> (&'a [u8], bool, bool) {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while !chunk.is_empty() {
        failed = failed || s.is_empty();
        match chunk[0] {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (rr, n) = decode_rune(s);
                    r = rr;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = match get_esc(chunk) {
                        Ok(v) => v,
                        Err(_) => return (&[], false, true),
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        match get_esc(&chunk[1..]) {
                            Ok((h, rest)) => {
                                hi = h;
                                chunk = rest;
                            }
                            Err(_) => return (&[], false, true),
                        }
                    }
                    matched = matched || (lo <= r && r <= hi);
                    nrange += 1;
                }
                failed = failed || matched == negated;
            }
            b'?' => {
                if !failed {
                    failed = s[0] == b'/';
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let c = if c == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(&c) => c,
                        None => return (&[], false, true),
                    }
                } else {
                    c
                };
                if !failed {
                    failed = c != s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        (&[], false, false)
    } else {
        (s, true, false)
    }
}

/// Go's `getEsc`: one (possibly escaped) character of a `[...]` class; the
/// returned rest is never empty on success.
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = chunk;
    if chunk.is_empty() || chunk[0] == b'-' || chunk[0] == b']' {
        return Err(BadPattern);
    }
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n) = decode_rune(chunk);
    let bad = r == 0xFFFD && n == 1;
    let rest = &chunk[n..];
    if bad || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Reads ignore patterns from text as `sourceignore.ReadPatterns` does: one per
/// line (`\n`, a `\r` before it dropped), lines starting with `#` and blank lines
/// skipped; a line of 64 KiB or more stops reading (Go's `bufio.Scanner` limit).
pub fn read_patterns(text: &[u8], domain: &[&[u8]]) -> Vec<Pattern> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        if line.len() >= MAX_SCAN_TOKEN {
            break;
        }
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.starts_with(b"#") || String::from_utf8_lossy(line).trim().is_empty() {
            continue;
        }
        out.push(Pattern::parse(line, domain));
    }
    out
}

fn split_list(list: &str, domain: &[&[u8]]) -> Vec<Pattern> {
    list.split(',')
        .map(|p| Pattern::parse(p.as_bytes(), domain))
        .collect()
}

/// `sourceignore.VCSPatterns` for the root domain.
pub fn vcs_patterns() -> Vec<Pattern> {
    split_list(EXCLUDE_VCS, &[])
}

/// `sourceignore.DefaultPatterns` for the root domain.
pub fn default_patterns() -> Vec<Pattern> {
    split_list(&[EXCLUDE_EXT, EXCLUDE_CI, EXCLUDE_EXTRA].join(","), &[])
}

/// The ignore matcher source-controller builds for a checkout (§5.5).
///
/// ```
/// use fluxcd_core::artifact::Ignore;
/// use std::path::Path;
///
/// let ig = Ignore::from_user_patterns(b"/*\n!/deploy\n/deploy/**/*.md\n");
/// assert!(ig.is_excluded(Path::new("README.md"), false));
/// assert!(!ig.is_excluded(Path::new("deploy/app.yaml"), false));
/// assert!(ig.is_excluded(Path::new("deploy/docs/x.md"), false));
/// // User patterns replace the defaults: images are kept, `.git` is not.
/// assert!(!ig.is_excluded(Path::new("deploy/logo.png"), false));
/// assert!(ig.is_excluded(Path::new(".git/config"), false));
/// ```
#[derive(Debug, Clone)]
pub struct Ignore {
    /// Lowest priority first.
    patterns: Vec<Pattern>,
    user_patterns: usize,
}

impl Ignore {
    /// Loads the rules of a checkout: every `.sourceignore` (root first, then
    /// sub-directories in byte order, depth first, `.git` not entered, symlinked
    /// directories not entered) and then `spec_ignore`. If these give no pattern,
    /// the VCS and default patterns apply; otherwise VCS + these only.
    pub fn load(dir: &Path, spec_ignore: Option<&str>) -> Result<Ignore, ArtifactError> {
        let root = dir.canonicalize().map_err(|e| ArtifactError::IgnoreLoad {
            path: dir.to_path_buf(),
            message: format!("open {}: {}", dir.display(), super::os_error_text(&e)),
        })?;
        let mut user = Vec::new();
        let mut domain: Vec<Vec<u8>> = Vec::new();
        load_dir(&root, &root, &mut domain, &mut user)?;
        if let Some(text) = spec_ignore {
            user.extend(read_patterns(text.as_bytes(), &[]));
        }
        Ok(Ignore::from_patterns(user))
    }

    /// The matcher for user patterns read from one text at the root
    /// (as `spec.ignore` with no `.sourceignore` file).
    pub fn from_user_patterns(text: &[u8]) -> Ignore {
        Ignore::from_patterns(read_patterns(text, &[]))
    }

    /// `SourceIgnoreFilter`: VCS + defaults when `user` is empty, else VCS + `user`.
    pub fn from_patterns(user: Vec<Pattern>) -> Ignore {
        let mut patterns = vcs_patterns();
        let user_patterns = user.len();
        if user.is_empty() {
            patterns.extend(default_patterns());
        }
        patterns.extend(user);
        Ignore {
            patterns,
            user_patterns,
        }
    }

    /// The number of patterns from `.sourceignore` files and `spec.ignore`.
    pub fn user_pattern_count(&self) -> usize {
        self.user_patterns
    }

    /// Whether the path (relative to the checkout root) is left out of the artifact.
    pub fn is_excluded(&self, rel: &Path, is_dir: bool) -> bool {
        let parts = path_components(rel);
        let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
        self.is_excluded_components(&refs, is_dir)
    }

    /// [`Ignore::is_excluded`] on path components.
    pub fn is_excluded_components(&self, path: &[&[u8]], is_dir: bool) -> bool {
        for p in self.patterns.iter().rev() {
            match p.matches(path, is_dir) {
                MatchResult::NoMatch => continue,
                r => return r == MatchResult::Exclude,
            }
        }
        false
    }
}

/// The byte components of a relative path (`.` components dropped).
pub(crate) fn path_components(rel: &Path) -> Vec<Vec<u8>> {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(os_bytes(s).to_vec()),
            Component::ParentDir => Some(b"..".to_vec()),
            _ => None,
        })
        .collect()
}

#[cfg(unix)]
pub(crate) fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}

#[cfg(not(unix))]
pub(crate) fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    s.to_str().map(|s| s.as_bytes()).unwrap_or(b"")
}

fn load_dir(
    root: &Path,
    dir: &Path,
    domain: &mut Vec<Vec<u8>>,
    out: &mut Vec<Pattern>,
) -> Result<(), ArtifactError> {
    let err = |path: &Path, op: &str, e: &std::io::Error| ArtifactError::IgnoreLoad {
        path: path.to_path_buf(),
        message: format!("{op} {}: {}", path.display(), super::os_error_text(e)),
    };
    let file = dir.join(IGNORE_FILE);
    let refs: Vec<&[u8]> = domain.iter().map(|d| d.as_slice()).collect();
    match std::fs::symlink_metadata(&file) {
        Ok(meta) => {
            // Go opens the file following symlinks; a link that leaves the
            // checkout is not followed (treated as absent).
            let target: Option<PathBuf> = if meta.file_type().is_symlink() {
                match file.canonicalize() {
                    Ok(t) if t.starts_with(root) => Some(t),
                    _ => None,
                }
            } else {
                Some(file.clone())
            };
            if let Some(t) = target {
                if !t.is_dir() {
                    match std::fs::read(&t) {
                        Ok(data) => out.extend(read_patterns(&data, &refs)),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(err(&file, "open", &e)),
                    }
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(&file, "open", &e)),
    }
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| err(dir, "open", &e))? {
        let entry = entry.map_err(|e| err(dir, "readdirent", &e))?;
        let ft = entry.file_type().map_err(|e| err(dir, "lstat", &e))?;
        if ft.is_dir() && entry.file_name() != ".git" {
            entries.push(entry.file_name());
        }
    }
    entries.sort();
    for name in entries {
        domain.push(os_bytes(&name).to_vec());
        let r = load_dir(root, &dir.join(&name), domain, out);
        domain.pop();
        r?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&[u8]> {
        if s.is_empty() {
            return Vec::new();
        }
        s.split('/').map(|p| p.as_bytes()).collect()
    }

    fn pm(p: &str, domain: &str, path: &str, dir: bool) -> MatchResult {
        Pattern::parse(p.as_bytes(), &split(domain)).matches(&split(path), dir)
    }

    use MatchResult::{Exclude as E, Include as I, NoMatch as N};

    /// Every case of `gitignore/pattern_test.go` listed in flux-semantics §5.5.
    #[test]
    fn pattern_test_vectors() {
        let cases: &[(&str, &str, &str, bool, MatchResult)] = &[
            ("!vul?ano", "", "value/vulkano/tail", false, I),
            ("value", "head/middle/tail", "head/middle", false, N),
            ("value", "head/middle/tail", "head/middle/tail", false, N),
            (
                "value",
                "head/middle/tail",
                "head/middle/_tail_/value",
                false,
                N,
            ),
            (
                "middle/",
                "value/volcano",
                "value/volcano/middle/tail",
                false,
                E,
            ),
            ("volcano/", "value/volcano", "value/volcano/tail", true, N),
            ("value", "", "value/tail", false, E),
            ("value", "", "head/value/tail", false, E),
            ("value", "", "head/value", false, E),
            ("value/", "", "value/tail", false, E),
            ("value/", "", "head/value/tail", false, E),
            ("value/", "", "head/value", true, E),
            ("value/", "", "head/value", false, N),
            ("value", "", "head/val/tail", false, N),
            ("val", "", "head/value/tail", false, N),
            ("v*o", "", "value/vulkano/tail", false, E),
            ("vul?ano", "", "value/vulkano/tail", false, E),
            ("v[ou]l[kc]ano", "", "value/volcano", false, E),
            ("v[ou]l[", "", "value/vol[", false, N),
            ("/value/vul?ano", "", "value/vulkano/tail", false, E),
            ("value/vul?ano", "", "value/vulkano/tail", false, E),
            (
                "middle/tail/",
                "value/volcano",
                "value/volcano/middle/tail",
                true,
                E,
            ),
            (
                "volcano/tail",
                "value/volcano",
                "value/volcano/tail",
                false,
                N,
            ),
            ("value/vulkano", "", "value/volcano", false, N),
            ("value/vul?ano", "", "value", false, N),
            ("/value/volcano", "", "value/value/volcano", false, N),
            ("**/*lue/vol?ano", "", "value/volcano/tail", false, E),
            ("**/*lue/vol?ano", "", "head/value/volcano/tail", false, E),
            ("**/*lue/vol?ano", "", "head/value/Volcano/tail", false, N),
            ("**/*lue/vol?ano/", "", "head/value/volcano/tail", false, E),
            ("**/*lue/vol?ano/", "", "head/value/volcano", true, E),
            ("**/*lue/vol?ano/", "", "head/value/volcano", false, N),
            (
                "/*lue/vol?ano/**",
                "",
                "value/volcano/tail/moretail",
                false,
                E,
            ),
            ("/*lue/vol?ano/**", "", "value/volcano", false, E),
            ("/*lue/**/vol?ano", "", "value/volcano", false, E),
            ("/*lue/**/vol?ano", "", "value/middle/volcano", false, E),
            (
                "/*lue/**/vol?ano",
                "",
                "value/middle1/middle2/volcano",
                false,
                E,
            ),
            (
                "/*lue/**/vol?ano/",
                "",
                "value/middle1/middle2/volcano",
                true,
                E,
            ),
            (
                "/*lue/**/vol?ano/",
                "",
                "value/middle1/middle2/volcano",
                false,
                N,
            ),
            (
                "/*lue/**/vol?ano/",
                "",
                "value/middle1/middle2/volcano/tail",
                false,
                E,
            ),
            (
                "/*lue/**foo/vol?ano",
                "",
                "value/foo/volcano/tail",
                false,
                N,
            ),
            (
                "**/android/**/GeneratedPluginRegistrant.java",
                "",
                "packages/flutter_tools/lib/src/android/gradle.dart",
                false,
                N,
            ),
        ];
        for (p, d, path, dir, want) in cases {
            assert_eq!(
                pm(p, d, path, *dir),
                *want,
                "{p} on {path} (dir {dir}, domain {d})"
            );
        }
    }

    fn matcher(ps: Vec<Pattern>) -> Ignore {
        Ignore {
            patterns: ps,
            user_patterns: 0,
        }
    }

    /// `sourceignore_test.go` ReadPatterns / matcher cases of §5.5.
    #[test]
    fn sourceignore_test_vectors() {
        let m = matcher(read_patterns(b"ignore-dir/*\n!ignore-dir/include", &[]));
        assert!(m.is_excluded_components(&split("ignore-dir/file.yaml"), false));
        assert!(!m.is_excluded_components(&split("file.yaml"), false));
        assert!(!m.is_excluded_components(&split("ignore-dir/include"), false));

        let m = matcher(read_patterns(b"ignore-dir/*\n# !ignore-dir/include", &[]));
        assert!(m.is_excluded_components(&split("ignore-dir/file.yaml"), false));
        assert!(m.is_excluded_components(&split("ignore-dir/include"), false));

        let m = matcher(read_patterns(b"ignore-dir/*", &split("domain/scoped")));
        assert!(m.is_excluded_components(&split("domain/scoped/ignore-dir/file.yaml"), false));
        assert!(!m.is_excluded_components(&split("ignore-dir/file.yaml"), false));
    }

    fn default_matcher(domain: &str, user: &[&str]) -> Ignore {
        let d = split(domain);
        let mut ps = split_list(EXCLUDE_VCS, &d);
        ps.extend(split_list(
            &[EXCLUDE_EXT, EXCLUDE_CI, EXCLUDE_EXTRA].join(","),
            &d,
        ));
        ps.extend(user.iter().map(|u| Pattern::parse(u.as_bytes(), &d)));
        matcher(ps)
    }

    #[test]
    fn default_matcher_vectors() {
        let m = default_matcher("", &[]);
        for p in [
            ".git/config",
            ".gitignore",
            "image.jpg",
            "archive.tar.gz",
            ".github/workflows/workflow.yaml",
            "subdir/.flux.yaml",
            "subdir2/.sops.yaml",
        ] {
            assert!(m.is_excluded_components(&split(p), false), "{p}");
        }
        for p in ["workload.yaml", "workload.yml", "simple.txt"] {
            assert!(!m.is_excluded_components(&split(p), false), "{p}");
        }
        let m = default_matcher("directory", &[]);
        assert!(m.is_excluded_components(&split("directory/.git/config"), false));
        assert!(m.is_excluded_components(&split("directory/image.jpg"), false));
        assert!(!m.is_excluded_components(&split("other/.git/config"), false));
        assert!(!m.is_excluded_components(&split("other/image.jpg"), false));
        let m = default_matcher("", &["!*.jpg"]);
        assert!(!m.is_excluded_components(&split("image.jpg"), false));
    }

    #[test]
    fn load_ignore_patterns_order_and_domains() {
        let tmp = crate::artifact::tests_support::TempDir::new("ignore-load");
        let root = tmp.path();
        for (p, c) in [
            (".sourceignore", "root.txt"),
            ("d/.gitignore", "ignored"),
            ("z/.sourceignore", "last.txt"),
            ("a/b/.sourceignore", "subdir.txt"),
        ] {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, c).unwrap();
        }
        let canon = root.canonicalize().unwrap();
        let mut out = Vec::new();
        load_dir(&canon, &canon, &mut Vec::new(), &mut out).unwrap();
        let want = vec![
            Pattern::parse(b"root.txt", &[]),
            Pattern::parse(b"subdir.txt", &[b"a", b"b"]),
            Pattern::parse(b"last.txt", &[b"z"]),
        ];
        assert_eq!(out, want);
    }

    #[test]
    fn user_patterns_replace_defaults() {
        let ig = Ignore::from_user_patterns(b"# only a comment\n\n   \n");
        assert_eq!(ig.user_pattern_count(), 0);
        assert!(ig.is_excluded(Path::new("logo.png"), false));
        let ig = Ignore::from_user_patterns(b"*.txt\n");
        assert!(!ig.is_excluded(Path::new("logo.png"), false));
        assert!(ig.is_excluded(Path::new("a/b.txt"), false));
        assert!(ig.is_excluded(Path::new(".git"), true));
        assert!(!ig.is_excluded(Path::new(".git"), false));
        assert!(ig.is_excluded(Path::new(".gitattributes"), false));
    }

    #[test]
    fn line_parsing() {
        let ps = read_patterns(b"a  \nb\\ \r\n!c\n#d\n \t\nlast", &[]);
        assert_eq!(
            ps,
            vec![
                Pattern::parse(b"a", &[]),
                Pattern::parse(b"b\\ ", &[]),
                Pattern::parse(b"!c", &[]),
                Pattern::parse(b"last", &[]),
            ]
        );
        assert_eq!(ps[0].parts, vec![b"a".to_vec()]);
        assert!(ps[2].is_negation());
        // `\ ` keeps the escaped space, which filepath.Match reads as a space.
        assert_eq!(ps[1].matches(&[b"b "], false), MatchResult::Exclude);
        // A line of 64 KiB stops the scanner; what came before is kept.
        let mut text = b"keep\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_SCAN_TOKEN));
        text.extend(b"\nlost\n");
        assert_eq!(read_patterns(&text, &[]).len(), 1);
        let mut text = b"keep\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_SCAN_TOKEN - 1));
        text.extend(b"\nkept\n");
        assert_eq!(read_patterns(&text, &[]).len(), 3);
    }

    /// Every row of Go's `path/filepath` `matchTests` (Go 1.26).
    #[test]
    fn go_filepath_match() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            (r"abc", "abc", Ok(true)),
            (r"*", "abc", Ok(true)),
            (r"*c", "abc", Ok(true)),
            (r"a*", "a", Ok(true)),
            (r"a*", "abc", Ok(true)),
            (r"a*", "ab/c", Ok(false)),
            (r"a*/b", "abc/b", Ok(true)),
            (r"a*/b", "a/c/b", Ok(false)),
            (r"a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            (r"a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            (r"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            (r"a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            (r"a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            (r"a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            (r"ab[c]", "abc", Ok(true)),
            (r"ab[b-d]", "abc", Ok(true)),
            (r"ab[e-g]", "abc", Ok(false)),
            (r"ab[^c]", "abc", Ok(false)),
            (r"ab[^b-d]", "abc", Ok(false)),
            (r"ab[^e-g]", "abc", Ok(true)),
            (r"a\*b", "a*b", Ok(true)),
            (r"a\*b", "ab", Ok(false)),
            (r"a?b", "a☺b", Ok(true)),
            (r"a[^a]b", "a☺b", Ok(true)),
            (r"a???b", "a☺b", Ok(false)),
            (r"a[^a][^a][^a]b", "a☺b", Ok(false)),
            (r"[a-ζ]*", "α", Ok(true)),
            (r"*[a-ζ]", "A", Ok(false)),
            (r"a?b", "a/b", Ok(false)),
            (r"a*b", "a/b", Ok(false)),
            (r"[\]a]", "]", Ok(true)),
            (r"[\-]", "-", Ok(true)),
            (r"[x\-]", "x", Ok(true)),
            (r"[x\-]", "-", Ok(true)),
            (r"[x\-]", "z", Ok(false)),
            (r"[\-x]", "x", Ok(true)),
            (r"[\-x]", "-", Ok(true)),
            (r"[\-x]", "a", Ok(false)),
            (r"[]a]", "]", Err(BadPattern)),
            (r"[-]", "-", Err(BadPattern)),
            (r"[x-]", "x", Err(BadPattern)),
            (r"[x-]", "-", Err(BadPattern)),
            (r"[x-]", "z", Err(BadPattern)),
            (r"[-x]", "x", Err(BadPattern)),
            (r"[-x]", "-", Err(BadPattern)),
            (r"[-x]", "a", Err(BadPattern)),
            (r"\", "a", Err(BadPattern)),
            (r"[a-b-c]", "a", Err(BadPattern)),
            (r"[", "a", Err(BadPattern)),
            (r"[^", "a", Err(BadPattern)),
            (r"[^bc", "a", Err(BadPattern)),
            (r"a[", "a", Err(BadPattern)),
            (r"a[", "ab", Err(BadPattern)),
            (r"a[", "x", Err(BadPattern)),
            (r"a/b[", "x", Err(BadPattern)),
            (r"*x", "xxx", Ok(true)),
        ];
        for (p, n, want) in cases {
            assert_eq!(go_match(p.as_bytes(), n.as_bytes()), *want, "{p} {n}");
        }
    }
}
