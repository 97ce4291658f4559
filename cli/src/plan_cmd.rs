//! `fluxcd-core plan` and `fluxcd-core tree`: the whole-repository plan
//! (text, JSON or SARIF) and the offline `flux tree kustomization`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use fluxcd_core::plan::{self, lint, text, tree, PlanOptions};

/// Output of `plan`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PlanOutput {
    /// A report grouped by Kustomization, with a summary table.
    Text,
    /// The plan as JSON (docs/plan-schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
}

/// Output of `tree`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TreeOutput {
    /// A text tree.
    Text,
    /// The tree as JSON.
    Json,
}

/// Options shared by `plan` and `tree`.
#[derive(Args, Debug)]
pub struct Common {
    /// Variables of substituteFrom objects that are not in the repository
    /// (JSON/YAML map or dotenv); repeatable.
    #[arg(long = "vars", value_name = "FILE")]
    pub vars_files: Vec<PathBuf>,
    /// Build Kustomizations whose sourceRef is the GitRepository NAME from DIR
    /// (others read this checkout); repeatable.
    #[arg(long = "source", value_name = "NAME=DIR")]
    pub sources: Vec<String>,
    /// Substitute as Flux 2.8 did (unset variables read as empty strings).
    #[arg(long = "no-strict")]
    pub no_strict: bool,
    /// Flux version whose default strictness applies.
    #[arg(long = "flux-version", value_name = "VERSION", default_value = "2.9")]
    pub flux_version: String,
}

/// Arguments of `plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// A fleet checkout (or a single file).
    pub path: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    pub output: PlanOutput,
    /// Lint profiles, comma-separated: flux (default), conventions.
    #[arg(long, value_name = "PROFILES")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `tree`.
#[derive(Args, Debug)]
pub struct TreeArgs {
    /// A fleet checkout.
    pub path: PathBuf,
    /// Only this Kustomization (`name` or `namespace/name`); all top-level ones otherwise.
    pub kustomization: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    pub output: TreeOutput,
    #[command(flatten)]
    pub common: Common,
}

fn options(path: &std::path::Path, c: &Common) -> Result<PlanOptions, String> {
    if !path.exists() {
        return Err(format!("{}: no such file or directory", path.display()));
    }
    let mut opts = PlanOptions {
        subst: crate::subst_options(false, c.no_strict, &c.flux_version)?,
        ..PlanOptions::default()
    };
    for f in &c.vars_files {
        let map = fluxcd_core::subst::vars::parse_vars(&crate::read(f)?)
            .map_err(|e| format!("{}: {e}", f.display()))?;
        opts.var_files.push((f.display().to_string(), map));
    }
    for s in &c.sources {
        let (name, dir) = s
            .split_once('=')
            .filter(|(n, d)| !n.is_empty() && !d.is_empty())
            .ok_or_else(|| format!("--source {s:?}: expected NAME=DIR"))?;
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(format!("--source {s:?}: {} is not a folder", dir.display()));
        }
        opts.sources.push((name.to_string(), dir));
    }
    Ok(opts)
}

/// Runs `plan`: exit 1 when an error diagnostic exists.
pub fn run_plan(args: PlanArgs) -> Result<ExitCode, String> {
    let mut opts = options(&args.path, &args.common)?;
    if let Some(p) = &args.profile {
        opts.profiles = Some(lint::Profiles::parse(p).map_err(|e| format!("--profile: {e}"))?);
    }
    let plan =
        plan::plan(&args.path, &opts).map_err(|e| format!("{}: {e}", args.path.display()))?;
    let text = match args.output {
        PlanOutput::Json => serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())? + "\n",
        PlanOutput::Sarif => {
            let root = args.path.is_dir().then_some(args.path.as_path());
            let v = lint::to_sarif(&plan.diagnostics, env!("CARGO_PKG_VERSION"), root);
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n"
        }
        PlanOutput::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            text::render(&plan, &args.path, color)
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(if plan.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `tree`.
pub fn run_tree(args: TreeArgs) -> Result<ExitCode, String> {
    let opts = options(&args.path, &args.common)?;
    let plan =
        plan::plan(&args.path, &opts).map_err(|e| format!("{}: {e}", args.path.display()))?;
    let roots = tree::build(&plan, args.kustomization.as_deref())?;
    let text = match args.output {
        TreeOutput::Json => serde_json::to_string_pretty(&roots).map_err(|e| e.to_string())? + "\n",
        TreeOutput::Text => tree::render(&roots),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
