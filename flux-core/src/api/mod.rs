//! Typed Flux API: one Rust type per kind Flux serves today, at its served version.
//!
//! The models are generated from the upstream CRDs (`cargo xtask gen-api`) into
//! [`generated`] and re-exported here by API group. Fields keep their wire
//! (camelCase) names through serde; optional fields are `Option`s and defaults
//! the API server would apply are **not** injected when parsing: ask for them
//! with the methods in [`defaults`].
//!
//! ```
//! use fluxcd_core::api::{FluxObject, source::GitRepositoryProvider};
//!
//! let doc = serde_json::json!({
//!     "apiVersion": "source.toolkit.fluxcd.io/v1",
//!     "kind": "GitRepository",
//!     "metadata": {"name": "podinfo", "namespace": "flux-system"},
//!     "spec": {"url": "https://github.com/stefanprodan/podinfo", "interval": "5m", "ref": {"branch": "master"}}
//! });
//! let obj = FluxObject::from_value(&doc).unwrap().unwrap();
//! let FluxObject::GitRepository(repo) = &obj else { unreachable!() };
//! let spec = repo.spec.as_ref().unwrap();
//! assert_eq!(spec.interval, "5m");
//! assert_eq!(spec.provider_or_default(), GitRepositoryProvider::Generic);
//! assert_eq!(spec.timeout_or_default(), "60s");
//! assert_eq!(obj.kind(), "GitRepository");
//! ```

pub mod defaults;
pub mod duration;
pub mod generated;
mod meta;

pub use generated::{common, helm, image, kustomize, notification, source, source_extensions};
pub use generated::{FluxObject, KINDS};
pub use meta::ObjectMeta;

/// A free-form JSON-like object (Helm values, arbitrary metadata), keys in document order.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

/// Declares a string enum with its wire names, `Display`, `FromStr` and a JSON Schema.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every value, in the order the CRD lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name of this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::api::UnknownEnumValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(crate::api::UnknownEnumValue {
                        value: s.to_string(),
                        allowed: &[$($wire),+],
                    }),
                }
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "enum": [$($wire),+]})
            }
        }
    };
}
pub(crate) use string_enum;

/// A string that is not one of an enum's allowed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported value {value:?}: must be one of {allowed:?}")]
pub struct UnknownEnumValue {
    /// The value given.
    pub value: String,
    /// The values the API accepts.
    pub allowed: &'static [&'static str],
}

/// Error turning a document into a typed Flux object.
#[derive(Debug, thiserror::Error)]
pub enum TypeError {
    /// The document does not fit the typed model (wrong type, missing required field, ...).
    #[error("{kind} does not match its {api_version} schema: {source}")]
    Shape {
        /// apiVersion of the document.
        api_version: String,
        /// kind of the document.
        kind: String,
        /// What serde found.
        #[source]
        source: serde_json::Error,
    },
}

impl TypeError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            TypeError::Shape { .. } => "api.type_mismatch",
        }
    }
}

/// Declares [`FluxObject`] over the generated kinds.
macro_rules! flux_object {
    ( $( $kind:ident($ty:path) = ($group:literal, $version:literal), )+ ) => {
        /// Any Flux object of a served kind, typed.
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum FluxObject {
            $(
                #[doc = concat!("`", $group, "/", $version, "` `", stringify!($kind), "`.")]
                $kind($ty),
            )+
        }

        impl FluxObject {
            /// Types a document whose `apiVersion` and `kind` name a served Flux kind.
            ///
            /// Returns `Ok(None)` when the document is not a served Flux kind (a
            /// ConfigMap, or a Flux kind at a removed version).
            pub fn from_value(doc: &serde_json::Value) -> Result<Option<Self>, crate::api::TypeError> {
                let api_version = doc.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
                let kind = doc.get("kind").and_then(|v| v.as_str()).unwrap_or("");
                let shape = |source| crate::api::TypeError::Shape {
                    api_version: api_version.to_string(),
                    kind: kind.to_string(),
                    source,
                };
                Ok(Some(match (api_version, kind) {
                    $(
                        (concat!($group, "/", $version), stringify!($kind)) => {
                            FluxObject::$kind(<$ty as serde::Deserialize>::deserialize(doc).map_err(shape)?)
                        }
                    )+
                    _ => return Ok(None),
                }))
            }

            /// The kind, e.g. `HelmRelease`.
            pub fn kind(&self) -> &'static str {
                match self { $(FluxObject::$kind(_) => stringify!($kind),)+ }
            }

            /// The served apiVersion of the kind, e.g. `helm.toolkit.fluxcd.io/v2`.
            pub fn api_version(&self) -> &'static str {
                match self { $(FluxObject::$kind(_) => concat!($group, "/", $version),)+ }
            }

            /// The object's metadata.
            pub fn metadata(&self) -> &crate::api::ObjectMeta {
                match self { $(FluxObject::$kind(o) => &o.metadata,)+ }
            }

            /// The JSON Schema of every kind, keyed by kind name.
            pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
                vec![$( (stringify!($kind), crate::schema::schema_for::<$ty>()), )+]
            }
        }
    };
}
pub(crate) use flux_object;
