//! STUB — the tar writer of the `artifact` module (issue 6) on random trees.
//!
//! Not built until the coordinator merges `artifact`: then uncomment the
//! `[[bin]] artifact_tar` entry of fuzz/Cargo.toml and replace the body below
//! with, for a tree generated from the input (random names incl. `..`, long
//! names > 100 bytes, symlinks, empty dirs, large files):
//!
//! 1. write the tree to a temp dir; build the artifact with small
//!    `max_size` / `max_files` options;
//! 2. property: either a limit error with its stable code, or a tar.gz that
//!    (a) decompresses, (b) lists exactly the regular files of the tree
//!    (sorted, no absolute or `..` paths, no symlink followed out of the
//!    root), (c) is byte-identical when built twice (deterministic mtime,
//!    uid/gid, ordering), and (d) whose digest matches a recomputation;
//! 3. remove the temp dir.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|_data: &[u8]| {});
