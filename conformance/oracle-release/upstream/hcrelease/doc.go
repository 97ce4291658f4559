// Package release is filled at build time: run.sh passes `-overlay` so that
// internal/release/name.go of github.com/fluxcd/helm-controller v1.6.3, read
// from the Go module cache, compiles as part of this package. Nothing of it is
// copied into this repository.
package release
