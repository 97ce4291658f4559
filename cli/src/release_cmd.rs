//! `fluxcd-core release-name`: the Helm release a HelmRelease installs (name,
//! namespaces, generated HelmChart), as helm-controller v1.6.x computes it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use fluxcd_core::api::FluxObject;
use fluxcd_core::manifest;
use fluxcd_core::release::{self, ReleaseInfo};
use fluxcd_core::yaml::LoadOptions;
use serde_json::{json, Value};

/// The JSON form of one release: `releaseName`, `releaseNamespace`,
/// `storageNamespace`, `helmChart` (`namespace/name`, null with `chartRef`).
fn to_json(info: &ReleaseInfo) -> Value {
    json!({
        "releaseName": info.release_name,
        "releaseNamespace": info.release_namespace,
        "storageNamespace": info.storage_namespace,
        "helmChart": info.helm_chart.as_ref().map(|c| c.to_string()),
    })
}

/// Prints the release of every HelmRelease of `file` (one line each, or with
/// `json` one object, an array when the file holds several). A HelmRelease
/// without namespace is taken to be in `default`. Exit 1 on any error.
pub fn run(file: &Path, json: bool) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(1)
    };
    if !file.is_file() {
        return fail(format!("{}: not a file", file.display()));
    }
    let set = match manifest::load_path(file, &LoadOptions::default()) {
        Ok(set) => set,
        Err(e) => return fail(format!("{}: {e}", file.display())),
    };
    let hrs: Vec<_> = set
        .flux_objects()
        .filter_map(|(m, o)| match o {
            FluxObject::HelmRelease(hr) => Some((m, hr)),
            _ => None,
        })
        .collect();
    if hrs.is_empty() {
        let why: Vec<String> = set
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("\n  {}: {} [{}]", d.location, d.message, d.code))
            .collect();
        return fail(format!(
            "{}: no readable helm.toolkit.fluxcd.io/v2 HelmRelease{}",
            file.display(),
            why.concat()
        ));
    }
    let mut infos = Vec::new();
    for (m, hr) in hrs {
        match release::resolve(hr, release::CHECK_DEFAULT_NAMESPACE) {
            Ok(info) => infos.push(info),
            Err(e) => {
                return fail(format!(
                    "{}: HelmRelease {}: {e} [{}]",
                    m.location,
                    m.name(),
                    e.code()
                ))
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let text = if json {
        let v = if infos.len() == 1 {
            to_json(&infos[0])
        } else {
            Value::Array(infos.iter().map(to_json).collect())
        };
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        infos
            .iter()
            .map(|i| format!("{}\n", i.release_name))
            .collect()
    };
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}
