//! `fluxcd-core fetch`: fetch a Git repository as source-controller does and
//! write its artifact (`gitrepository/<ns>/<name>/<commit>.tar.gz`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgGroup, Args, ValueEnum};
use fluxcd_core::git::{
    fetch_artifact, refs::GitRef, ArtifactSpec, Auth, FetchOptions, Progress, Verify,
};

/// Output of `fetch`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FetchOutput {
    /// `key: value` lines.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `fetch`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("reference").args(["branch", "tag", "semver", "commit", "ref_name"]).multiple(true)))]
pub struct FetchArgs {
    /// Repository URL: a path, file://, git://, http(s):// or ssh://.
    pub url: String,
    /// `spec.ref.branch` (default `master` when no reference is given, as Flux).
    #[arg(long)]
    pub branch: Option<String>,
    /// `spec.ref.tag`.
    #[arg(long)]
    pub tag: Option<String>,
    /// `spec.ref.semver`: a Masterminds/semver constraint over the tags.
    #[arg(long)]
    pub semver: Option<String>,
    /// `spec.ref.commit`: a full commit hash (with --branch: the commit within that branch).
    #[arg(long)]
    pub commit: Option<String>,
    /// `spec.ref.name`: a full reference such as refs/pull/420/head.
    #[arg(long = "ref-name")]
    pub ref_name: Option<String>,
    /// `spec.ignore`: patterns in .gitignore format (newlines or commas separate them).
    #[arg(long)]
    pub ignore: Option<String>,
    /// `spec.sparseCheckout` directories (repeatable).
    #[arg(long = "sparse")]
    pub sparse: Vec<String>,
    /// Write the artifact to this file instead of <--storage>/gitrepository/<ns>/<name>/<commit>.tar.gz.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Storage root for the artifact (default: the current directory).
    #[arg(long, default_value = ".")]
    pub storage: PathBuf,
    /// Namespace of the storage path.
    #[arg(long, default_value = "flux-system")]
    pub namespace: String,
    /// Name of the storage path (default: from the URL).
    #[arg(long)]
    pub name: Option<String>,
    /// HTTP basic auth user name.
    #[arg(long)]
    pub username: Option<String>,
    /// Name of an environment variable holding the HTTP password (never a flag value).
    #[arg(long = "password-env")]
    pub password_env: Option<String>,
    /// Name of an environment variable holding an HTTP bearer token.
    #[arg(long = "bearer-token-env")]
    pub bearer_token_env: Option<String>,
    /// SSH private key file (deploy key) for ssh:// URLs.
    #[arg(long = "ssh-key")]
    pub ssh_key: Option<PathBuf>,
    /// known_hosts file for ssh:// URLs.
    #[arg(long = "known-hosts")]
    pub known_hosts: Option<PathBuf>,
    /// `spec.verify.mode` (HEAD, Tag, TagAndHEAD); keys from --verify-key.
    #[arg(long = "verify")]
    pub verify: Option<String>,
    /// Public key files for --verify: `.asc` PGP keyrings, `.sshpub` SSH authorized_keys (repeatable).
    #[arg(long = "verify-key")]
    pub verify_keys: Vec<PathBuf>,
    /// Timeout, in seconds or a Go duration (`60s`, `2m`).
    #[arg(long, default_value = "60s")]
    pub timeout: String,
    /// Size limit in bytes (pack received, files checked out and archived).
    #[arg(long = "max-size")]
    pub max_size: Option<u64>,
    /// History depth (0 = full; default: 1, full for --commit).
    #[arg(long)]
    pub depth: Option<u32>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    pub output: FetchOutput,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return Ok(Duration::from_secs(n));
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push(chars.next().unwrap_or('s'));
        }
        let n: f64 = num.parse().map_err(|_| format!("invalid duration {s:?}"))?;
        num.clear();
        total += n * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return Err(format!("invalid duration {s:?}")),
        };
        any = true;
    }
    if !num.is_empty() || !any {
        return Err(format!("invalid duration {s:?} (use e.g. 60s, 2m)"));
    }
    Ok(Duration::from_secs_f64(total))
}

fn env_secret(var: &Option<String>, what: &str) -> Result<Option<String>, String> {
    match var {
        None => Ok(None),
        Some(v) => std::env::var(v)
            .map(Some)
            .map_err(|_| format!("{what}: environment variable {v} is not set")),
    }
}

fn human(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// Runs `fetch`: exit 0 with the artifact, 1 with a message when the fetch fails.
pub fn run(args: FetchArgs) -> Result<ExitCode, String> {
    let reference = GitRef {
        branch: args.branch.clone(),
        tag: args.tag.clone(),
        semver: args.semver.clone(),
        name: args.ref_name.clone(),
        commit: args.commit.clone(),
    };
    let mut auth = Auth {
        username: args.username.clone(),
        password: env_secret(&args.password_env, "--password-env")?,
        bearer_token: env_secret(&args.bearer_token_env, "--bearer-token-env")?,
        ..Default::default()
    };
    if let Some(k) = &args.ssh_key {
        auth.identity = Some(std::fs::read(k).map_err(|e| format!("{}: {e}", k.display()))?);
    }
    if let Some(k) = &args.known_hosts {
        auth.known_hosts = Some(std::fs::read(k).map_err(|e| format!("{}: {e}", k.display()))?);
    }
    let verify = match &args.verify {
        None => None,
        Some(mode) => {
            let mut keys = BTreeMap::new();
            for p in &args.verify_keys {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                keys.insert(
                    name,
                    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
                );
            }
            Some(Verify {
                mode: mode.clone(),
                keys,
            })
        }
    };
    let ignore = args.ignore.as_ref().map(|i| {
        if i.contains('\n') {
            i.clone()
        } else {
            i.split(',').map(str::trim).collect::<Vec<_>>().join("\n")
        }
    });
    let spec = ArtifactSpec {
        namespace: args.namespace.clone(),
        name: args.name.clone().unwrap_or_default(),
        ignore,
        include: Vec::new(),
        verify,
        max_files: None,
    };
    let tty = std::io::stderr().is_terminal();
    let mut bar = |p: Progress| {
        let mut err = std::io::stderr().lock();
        let objects = match p.total_objects {
            Some(t) => format!("{}/{t}", p.objects),
            None => p.objects.to_string(),
        };
        let _ = write!(
            err,
            "\r\x1b[2K{:<10} objects {objects}  {}",
            p.phase,
            human(p.bytes)
        );
        if p.phase == "done" {
            let _ = writeln!(err);
        }
        let _ = err.flush();
    };
    let mut opts = FetchOptions::new(&args.url);
    opts.reference = reference;
    opts.auth = auth;
    opts.timeout = parse_duration(&args.timeout)?;
    opts.depth = args.depth;
    opts.max_size = args.max_size;
    opts.sparse_checkout = args.sparse.clone();
    if tty {
        opts.progress = Some(&mut bar);
    }
    // With --out, the artifact is written to a scratch storage dir then moved.
    let scratch = args.out.as_ref().map(|out| {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        dir.join(format!(".fluxcd-core-fetch-{}", std::process::id()))
    });
    let storage = scratch.clone().unwrap_or_else(|| args.storage.clone());
    let result = fetch_artifact(&spec, opts, &storage);
    let mut result = match result {
        Ok(r) => r,
        Err(e) => {
            if let Some(s) = &scratch {
                let _ = std::fs::remove_dir_all(s);
            }
            match args.output {
                FetchOutput::Json => println!(
                    "{}",
                    serde_json::json!({"error": {"code": e.code(), "message": e.to_string()}})
                ),
                FetchOutput::Text => eprintln!("error: {} [{}]", e, e.code()),
            }
            return Ok(ExitCode::from(1));
        }
    };
    if let (Some(out), Some(s)) = (&args.out, &scratch) {
        let moved = std::fs::rename(&result.path, out)
            .or_else(|_| std::fs::copy(&result.path, out).map(|_| ()));
        let _ = std::fs::remove_dir_all(s);
        moved.map_err(|e| format!("{}: {e}", out.display()))?;
        result.path = out.clone();
    }
    match args.output {
        FetchOutput::Json => {
            let v = serde_json::json!({
                "revision": result.revision,
                "digest": result.digest,
                "path": result.path,
                "storagePath": result.storage_path,
                "size": result.size,
                "files": result.files,
                "commit": result.commit,
                "reference": result.reference,
                "verified": result.verified,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?
            );
        }
        FetchOutput::Text => {
            println!("revision: {}", result.revision);
            println!("digest:   {}", result.digest);
            println!("path:     {}", result.path.display());
            println!("size:     {}", result.size);
            println!("files:    {}", result.files);
            if let Some(v) = &result.verified {
                println!("verified: {}", v.replace("\n\t", " ").replace('\n', " "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("5x").is_err());
    }
}
