// Package policy is image-reflector-controller v1.2.0's internal/policy, compiled
// from the Go module cache through `go build -overlay` (see ../../run.sh); this file
// is the only one in the repository.
package policy
