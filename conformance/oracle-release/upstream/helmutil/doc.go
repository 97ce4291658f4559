// Package util is filled at build time: run.sh passes `-overlay` so that
// pkg/chart/v2/util/validate_name.go of helm.sh/helm/v4 v4.2.2, read from the
// Go module cache, compiles as part of this package.
package util
