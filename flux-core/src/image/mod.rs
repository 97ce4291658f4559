//! Image automation offline: which tag an ImagePolicy selects ([`policy`]), and what
//! the Setters strategy of an ImageUpdateAutomation would write ([`setters`]).
//!
//! ```
//! use fluxcd_core::image::policy::select;
//! let p = serde_json::json!({"spec": {"policy": {"alphabetical": {"order": "asc"}}}});
//! assert_eq!(select(&p, &["2024-01", "2024-03", "2023-12"]).unwrap().tag, "2024-03");
//! ```
#![deny(missing_docs)]

pub mod goregex;
pub mod policy;
pub mod setters;
pub mod template;
pub mod update;
