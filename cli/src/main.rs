//! `fluxcd-core`: plan, validate, migrate and describe Flux manifests offline.
//!
//! Exit status: 0 when no error diagnostic was found, 1 when one was, 2 on a
//! usage or I/O error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use fluxcd_core::diagnostic::{Diagnostic, Severity};
use fluxcd_core::{migrate, postbuild, schema};

mod deps_cmd;
mod fetch_cmd;
mod image_cmd;
mod plan_cmd;
mod release_cmd;
mod values_cmd;

#[derive(Parser)]
#[command(
    name = "fluxcd-core",
    version,
    about = "Flux CD's logic, offline: plan and lint a fleet repository without a cluster"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ObjectsOutput {
    Yaml,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Plan a fleet checkout: what each Kustomization applies, substituted;
    /// HelmRelease values and release names; dependency order; every finding.
    Plan(plan_cmd::PlanArgs),
    /// Print offline what `flux tree kustomization` shows: each Kustomization's
    /// dependsOn and the objects it applies, nested ones expanded.
    Tree(plan_cmd::TreeArgs),
    /// Validate files or folders; print diagnostics only.
    Validate {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "text")]
        output: Output,
    },
    /// Rewrite removed Flux apiVersions to the served ones, keeping formatting.
    Migrate {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write the changes back (otherwise only list them).
        #[arg(long)]
        write: bool,
    },
    /// Substitute `${VAR}` expressions as Flux's postBuild does (fluxcd/pkg envsubst).
    Envsubst {
        /// Input file; standard input when omitted.
        file: Option<PathBuf>,
        /// Fail on unset variables without a default (Flux 2.9 default).
        #[arg(long, overrides_with = "no_strict")]
        strict: bool,
        /// Unset variables read as empty strings (Flux 2.8 and earlier).
        #[arg(long = "no-strict", overrides_with = "strict")]
        no_strict: bool,
        /// A variable, KEY=VALUE; repeatable; wins over --vars.
        #[arg(long = "var", value_name = "KEY=VALUE")]
        vars: Vec<String>,
        /// A JSON or YAML map, or a dotenv file, of variables; repeatable, later wins.
        #[arg(long = "vars", value_name = "FILE")]
        vars_files: Vec<PathBuf>,
    },
    /// Apply a Kustomization's whole postBuild pipeline to objects, as kustomize-controller does.
    Substitute {
        /// The Flux Kustomization whose spec.postBuild applies.
        #[arg(long, value_name = "FILE")]
        kustomization: PathBuf,
        /// ConfigMaps and Secrets that exist in the cluster (for substituteFrom); repeatable.
        /// An object that is in none of these files does not exist.
        #[arg(long = "resources", value_name = "FILE")]
        resources: Vec<PathBuf>,
        /// Fail on unset variables without a default (the Flux 2.9 default).
        #[arg(long, overrides_with = "no_strict")]
        strict: bool,
        /// Unset variables read as empty strings (Flux 2.8 and earlier).
        #[arg(long = "no-strict", overrides_with = "strict")]
        no_strict: bool,
        /// Flux version whose default strictness applies (2.9 strict, 2.8 not).
        #[arg(long = "flux-version", value_name = "VERSION", default_value = "2.9")]
        flux_version: String,
        /// Output format of the resulting objects.
        #[arg(long, short, value_enum, default_value = "yaml")]
        output: ObjectsOutput,
        /// Print where every value came from (to stderr; Secret values redacted).
        #[arg(long)]
        provenance: bool,
        /// Print values that come from Secrets (substituted variables and the
        /// data of Secret objects); otherwise they print as `<redacted>`.
        #[arg(long)]
        show_secrets: bool,
        /// The objects (multi-document YAML, as `kustomize build` prints them).
        objects: PathBuf,
    },
    /// Find what Flux's strict postBuild substitution will reject in a repository.
    Lint {
        /// A fleet checkout.
        path: PathBuf,
        /// Variables of substituteFrom objects that are not in the repository
        /// (JSON/YAML map or dotenv); repeatable.
        #[arg(long = "vars", value_name = "FILE")]
        vars_files: Vec<PathBuf>,
        /// Check with strict substitution (the Flux 2.9 default).
        #[arg(long, overrides_with = "no_strict")]
        strict: bool,
        /// Check as Flux 2.8 did (unset variables read as empty strings).
        #[arg(long = "no-strict", overrides_with = "strict")]
        no_strict: bool,
        /// Flux version whose default strictness applies.
        #[arg(long = "flux-version", value_name = "VERSION", default_value = "2.9")]
        flux_version: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "text")]
        output: Output,
    },
    /// Print Flux's dependency order (dependency.Sort) of the Kustomizations and HelmReleases in FILEs.
    Order {
        /// Files or folders, read in the order given.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format: one `namespace/name` per line, or a JSON array.
        #[arg(long, short, value_enum, default_value = "text")]
        output: Output,
    },
    /// Dependency graphs of a repository: waves, critical path, cycles, missing dependencies.
    Graph {
        /// A fleet checkout or a single file.
        path: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "text")]
        format: deps_cmd::GraphFormat,
    },
    /// Print the Helm release name of the HelmRelease(s) in a file (helm-controller's composition and shortening).
    ReleaseName {
        /// A YAML file with a HelmRelease.
        file: PathBuf,
        /// Output format: the name, or a JSON object with releaseName, releaseNamespace, storageNamespace, helmChart.
        #[arg(long, short, value_enum, default_value = "text")]
        output: Output,
    },
    /// Print the values helm-controller composes for a HelmRelease (valuesFrom, then inline values).
    Values(values_cmd::ValuesArgs),
    /// Fetch a Git repository as source-controller does (spec.ref precedence,
    /// ignore rules, verification) and write its artifact; print revision,
    /// digest, path, size and files.
    Fetch(fetch_cmd::FetchArgs),
    /// Print the tag an ImagePolicy selects from a list of tags (image-reflector-controller's rules).
    ImagePolicy(image_cmd::PolicyArgs),
    /// Show (or write) what ImageUpdateAutomations would change for chosen tags (setter markers).
    ImageUpdate(image_cmd::UpdateArgs),
    /// Print the JSON Schema of a Flux kind, or one schema for all kinds.
    Schema {
        /// Kind name such as HelmRelease; all kinds when omitted.
        kind: Option<String>,
        /// List the kinds instead.
        #[arg(long)]
        list: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => plan_cmd::run_plan(args),
        Command::Tree(args) => plan_cmd::run_tree(args),
        Command::Validate { paths, output } => run_validate(&paths, output),
        Command::Migrate { paths, write } => run_migrate(&paths, write),
        Command::Schema { kind, list } => run_schema(kind.as_deref(), list),
        Command::Order { files, output } => {
            deps_cmd::run_order(&files, matches!(output, Output::Json))
        }
        Command::Graph { path, format } => deps_cmd::run_graph(&path, format),
        Command::ReleaseName { file, output } => {
            Ok(release_cmd::run(&file, matches!(output, Output::Json)))
        }
        Command::Values(args) => values_cmd::run(args),
        Command::Fetch(args) => fetch_cmd::run(args),
        Command::ImagePolicy(args) => image_cmd::run_policy(args),
        Command::ImageUpdate(args) => image_cmd::run_update(args),
        Command::Envsubst {
            file,
            strict: _,
            no_strict,
            vars,
            vars_files,
        } => run_envsubst(file.as_deref(), !no_strict, &vars, &vars_files),
        Command::Substitute {
            kustomization,
            resources,
            strict,
            no_strict,
            flux_version,
            output,
            provenance,
            show_secrets,
            objects,
        } => subst_options(strict, no_strict, &flux_version).and_then(|opts| {
            run_substitute(
                &kustomization,
                &resources,
                opts,
                output,
                (provenance, show_secrets),
                &objects,
            )
        }),
        Command::Lint {
            path,
            vars_files,
            strict,
            no_strict,
            flux_version,
            output,
        } => subst_options(strict, no_strict, &flux_version)
            .and_then(|opts| run_lint(&path, &vars_files, opts, output)),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn status(has_errors: bool) -> ExitCode {
    if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_validate(paths: &[PathBuf], output: Output) -> Result<ExitCode, String> {
    let mut sets = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
        let mut set =
            fluxcd_core::manifest::load_path(p, &fluxcd_core::yaml::LoadOptions::default())
                .map_err(|e| format!("{}: {e}", p.display()))?;
        set.diagnostics.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
            ))
        });
        sets.push((p, set));
    }
    let has_errors = sets.iter().any(|(_, s)| s.has_errors());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match output {
        Output::Json => {
            let diagnostics: Vec<&Diagnostic> = sets
                .iter()
                .flat_map(|(_, s)| s.diagnostics.iter())
                .collect();
            let value = serde_json::json!({ "diagnostics": diagnostics });
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        Output::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for (root, set) in &sets {
                for d in &set.diagnostics {
                    print_diagnostic(&mut out, root, d, color).map_err(|e| e.to_string())?;
                }
                let count =
                    |s: Severity| set.diagnostics.iter().filter(|d| d.severity == s).count();
                writeln!(
                    out,
                    "{}: {} error(s), {} warning(s), {} info",
                    root.display(),
                    count(Severity::Error),
                    count(Severity::Warning),
                    count(Severity::Info)
                )
                .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(status(has_errors))
}

fn print_diagnostic(
    out: &mut impl Write,
    root: &Path,
    d: &Diagnostic,
    color: bool,
) -> std::io::Result<()> {
    let (start, end) = match (color, d.severity) {
        (false, _) => ("", ""),
        (true, Severity::Error) => ("\x1b[31m", "\x1b[0m"),
        (true, Severity::Warning) => ("\x1b[33m", "\x1b[0m"),
        (true, Severity::Info) => ("\x1b[36m", "\x1b[0m"),
    };
    let file = match &d.location.file {
        Some(f) if root.is_dir() => root.join(f).display().to_string(),
        Some(f) => f.clone(),
        None => root.display().to_string(),
    };
    write!(
        out,
        "{file}:{}:{}: {start}{}{end}[{}]: {}",
        d.location.line, d.location.column, d.severity, d.code, d.message
    )?;
    if !d.location.path.is_empty() {
        write!(out, " (at {})", d.location.path)?;
    }
    writeln!(out)?;
    if let Some(h) = &d.hint {
        writeln!(out, "  hint: {h}")?;
    }
    Ok(())
}

fn run_migrate(paths: &[PathBuf], write: bool) -> Result<ExitCode, String> {
    let mut changed_files = 0;
    let mut changes = 0;
    for p in paths {
        let files =
            fluxcd_core::manifest::yaml_files(p).map_err(|e| format!("{}: {e}", p.display()))?;
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let result = migrate::migrate(&text);
            for w in &result.warnings {
                eprintln!(
                    "{}:{}: warning: {}",
                    f.display(),
                    w.location.line,
                    w.message
                );
            }
            for c in &result.changes {
                println!(
                    "{}:{}: {} {} -> {}",
                    f.display(),
                    c.line,
                    c.kind,
                    c.from,
                    c.to
                );
            }
            if !result.changes.is_empty() {
                // Fields of the old version that the served one no longer has.
                let after = fluxcd_core::manifest::load_str(&result.text, None);
                for d in after
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "schema.unknown_field")
                {
                    println!(
                        "{}:{}:{}: note: `{}` does not exist in the served version; the API server will drop it{}",
                        f.display(),
                        d.location.line,
                        d.location.column,
                        d.location.path,
                        d.hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default()
                    );
                }
                changes += result.changes.len();
                changed_files += 1;
                if write {
                    std::fs::write(&f, &result.text)
                        .map_err(|e| format!("{}: {e}", f.display()))?;
                }
            }
        }
    }
    let verb = if write { "migrated" } else { "would migrate" };
    eprintln!("{verb} {changes} object(s) in {changed_files} file(s)");
    Ok(ExitCode::SUCCESS)
}

fn run_envsubst(
    file: Option<&Path>,
    strict: bool,
    vars: &[String],
    vars_files: &[PathBuf],
) -> Result<ExitCode, String> {
    use std::io::Read;
    let mut map = std::collections::BTreeMap::new();
    for f in vars_files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let parsed = fluxcd_core::subst::vars::parse_vars(&text)
            .map_err(|e| format!("{}: {e}", f.display()))?;
        map.extend(parsed);
    }
    for v in vars {
        let (k, val) = v
            .split_once('=')
            .ok_or_else(|| format!("--var {v:?}: expected KEY=VALUE"))?;
        map.insert(k.to_string(), val.to_string());
    }
    let input = match file {
        Some(f) => std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            s
        }
    };
    match fluxcd_core::subst::envsubst(&input, &map, fluxcd_core::subst::Options::strict(strict)) {
        Ok(out) => {
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let name = file.map_or("<stdin>".to_string(), |f| f.display().to_string());
            eprintln!("{name}: error[{}]: {e}", e.code());
            Ok(ExitCode::from(1))
        }
    }
}

pub(crate) fn subst_options(
    strict: bool,
    no_strict: bool,
    flux_version: &str,
) -> Result<postbuild::Options, String> {
    let flux = postbuild::FluxVersion::parse(flux_version)
        .ok_or_else(|| format!("--flux-version {flux_version:?}: expected 2.x, e.g. 2.9"))?;
    let strict = if strict {
        Some(true)
    } else if no_strict {
        Some(false)
    } else {
        None
    };
    Ok(postbuild::Options {
        flux,
        strict,
        dry_run: false,
    })
}

pub(crate) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The objects of a YAML stream, read as kustomize reads them.
fn kustomize_objects(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let text = read(path)?;
    let opts = fluxcd_core::yaml::LoadOptions {
        schema: fluxcd_core::yaml::Schema::Kustomize,
        ..Default::default()
    };
    let (docs, diags) = fluxcd_core::yaml::parse_documents(&text, &opts);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(format!(
            "{}:{}:{}: {}",
            path.display(),
            d.location.line,
            d.location.column,
            d.message
        ));
    }
    Ok(postbuild::expand_lists(
        docs.into_iter()
            .filter_map(|d| d.root.map(|n| n.to_json()))
            .filter(|v| v.is_object())
            .collect(),
    ))
}

fn run_substitute(
    kustomization: &Path,
    resources: &[PathBuf],
    opts: postbuild::Options,
    output: ObjectsOutput,
    (provenance, show_secrets): (bool, bool),
    objects: &Path,
) -> Result<ExitCode, String> {
    let ks_value = kustomize_objects(kustomization)?
        .into_iter()
        .find(|v| v.get("kind").and_then(|k| k.as_str()) == Some("Kustomization"))
        .ok_or_else(|| format!("{}: no Kustomization found", kustomization.display()))?;
    let ks = match postbuild::Kustomization::from_value(&ks_value) {
        Ok(ks) => ks,
        Err(e) => {
            eprintln!("{}: error[{}]: {e}", kustomization.display(), e.code());
            return Ok(ExitCode::from(1));
        }
    };
    let mut store = postbuild::ObjectStore::new();
    // The same objects with every Secret value replaced by `<redacted>`: what is
    // printed unless --show-secrets.
    let mut redacted_store = postbuild::ObjectStore::new();
    for f in resources {
        for v in kustomize_objects(f)? {
            if let Err(e) = store.insert_manifest(&v, "default") {
                eprintln!("{}: error[{}]: {e}", f.display(), e.code());
                return Ok(ExitCode::from(1));
            }
            // Cannot fail: the real object was accepted and the copy holds only strings.
            let _ = redacted_store.insert_manifest(&redact_secret_object(&v), "default");
        }
    }
    let mut results = Vec::new();
    for obj in kustomize_objects(objects)? {
        match postbuild::substitute_resource(&ks, &obj, &store, &opts) {
            Ok(s) if !show_secrets && s.uses.iter().any(|u| u.value.is_none()) => {
                // Print what the pipeline gives with the Secret values redacted.
                match postbuild::substitute_resource(&ks, &obj, &redacted_store, &opts) {
                    Ok(r) => results.push(match r.outcome {
                        postbuild::Outcome::Substituted(v) => redact_secret_object(&v),
                        _ => redact_secret_object(&obj),
                    }),
                    Err(_) => {
                        eprintln!(
                            "{}: {}: uses Secret values and cannot be printed with them redacted; \
                             use --show-secrets",
                            objects.display(),
                            object_id(&obj)
                        );
                        return Ok(ExitCode::from(2));
                    }
                }
                if provenance {
                    print_provenance(&obj, &s.uses);
                }
            }
            Ok(s) => {
                if provenance {
                    print_provenance(&obj, &s.uses);
                }
                let v = match s.outcome {
                    postbuild::Outcome::Substituted(v) => v,
                    _ => obj,
                };
                results.push(if show_secrets {
                    v
                } else {
                    redact_secret_object(&v)
                });
            }
            Err(e) => {
                eprintln!(
                    "{}: error[{}]: {}",
                    objects.display(),
                    e.code(),
                    e.controller_message(&obj)
                );
                return Ok(ExitCode::from(1));
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match output {
        ObjectsOutput::Json => {
            let text = serde_json::to_string_pretty(&serde_json::Value::Array(results))
                .map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        ObjectsOutput::Yaml => {
            for (i, v) in results.iter().enumerate() {
                let text = fluxcd_core::yaml::emit::json_to_yaml(v).map_err(|e| e.to_string())?;
                if i > 0 {
                    writeln!(out, "---").map_err(|e| e.to_string())?;
                }
                write!(out, "{text}").map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_provenance(obj: &serde_json::Value, uses: &[postbuild::Use]) {
    for u in uses {
        eprintln!(
            "{}: {} = {} (from {})",
            object_id(obj),
            u.expression,
            u.value
                .as_deref()
                .map_or("<redacted>".to_string(), |v| format!("{v:?}")),
            u.source
        );
    }
}

/// A `v1` Secret with every `data` and `stringData` value replaced by
/// `<redacted>` (as `stringData`); anything else unchanged.
fn redact_secret_object(v: &serde_json::Value) -> serde_json::Value {
    let is_secret = v.get("kind").and_then(|k| k.as_str()) == Some("Secret")
        && v.get("apiVersion").and_then(|k| k.as_str()) == Some("v1");
    if !is_secret {
        return v.clone();
    }
    let mut out = v.clone();
    let mut keys = serde_json::Map::new();
    for field in ["data", "stringData"] {
        if let Some(m) = v.get(field).and_then(|d| d.as_object()) {
            for k in m.keys() {
                keys.insert(k.clone(), "<redacted>".into());
            }
        }
    }
    if let Some(o) = out.as_object_mut() {
        o.remove("data");
        if keys.is_empty() {
            o.remove("stringData");
        } else {
            o.insert("stringData".into(), serde_json::Value::Object(keys));
        }
    }
    out
}

fn object_id(v: &serde_json::Value) -> String {
    let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).unwrap_or("");
    let ns = s("/metadata/namespace");
    if ns.is_empty() {
        format!("{}/{}", s("/kind"), s("/metadata/name"))
    } else {
        format!("{}/{ns}/{}", s("/kind"), s("/metadata/name"))
    }
}

fn run_lint(
    path: &Path,
    vars_files: &[PathBuf],
    opts: postbuild::Options,
    output: Output,
) -> Result<ExitCode, String> {
    if !path.exists() {
        return Err(format!("{}: no such file or directory", path.display()));
    }
    let mut lint = postbuild::lint::LintOptions {
        subst: opts,
        var_files: Vec::new(),
        sources: Vec::new(),
    };
    for f in vars_files {
        let map = fluxcd_core::subst::vars::parse_vars(&read(f)?)
            .map_err(|e| format!("{}: {e}", f.display()))?;
        lint.var_files.push((f.display().to_string(), map));
    }
    let report =
        postbuild::lint::lint_path(path, &lint).map_err(|e| format!("{}: {e}", path.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match output {
        Output::Json => {
            let value = serde_json::json!({
                "kustomizations": report.kustomizations,
                "resources": report.resources,
                "placeholders": report.placeholders,
                "diagnostics": report.diagnostics,
            });
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        Output::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in &report.diagnostics {
                print_diagnostic(&mut out, path, d, color).map_err(|e| e.to_string())?;
            }
            let count = |s: Severity| {
                report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == s)
                    .count()
            };
            writeln!(
                out,
                "{}: {} Kustomization(s) with postBuild, {} resource(s), {} expression(s): {} error(s), {} warning(s), {} info",
                path.display(),
                report.kustomizations,
                report.resources,
                report.placeholders,
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(status(report.errors() > 0))
}

fn run_schema(kind: Option<&str>, list: bool) -> Result<ExitCode, String> {
    if list {
        for (group, version, kind, _, _) in fluxcd_core::api::KINDS {
            println!("{kind}\t{group}/{version}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let value = match kind {
        Some(k) => schema::kind_schema(k).ok_or_else(|| {
            format!("unknown kind {k:?}; `fluxcd-core schema --list` shows the kinds")
        })?,
        None => schema::combined_schema(),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}
