package main

import (
	"fmt"

	"sigs.k8s.io/yaml"
)

type emitCase struct {
	Name string `json:"name"`
	JSON string `json:"json"`
}

type emitOut struct {
	emitCase
	YAML  *string `json:"yaml,omitempty"`
	Error *string `json:"error,omitempty"`
	// Nondeterministic is set when go-yaml v2 emits the keys in an order
	// that changes from run to run; YAML is then left out and Lines holds
	// the emitted lines in byte order (the same for every run).
	Nondeterministic bool     `json:"nondeterministic,omitempty"`
	Lines            []string `json:"lines,omitempty"`
}

// runEmit records sigs.k8s.io/yaml.JSONToYAML of the case's JSON text: the
// emitter behind kustomize's Resource.AsYAML (go-yaml v2 underneath).
func runEmit(raw []byte) (any, error) {
	var c emitCase
	if err := decodeStrict(raw, &c); err != nil {
		return nil, err
	}
	o := emitOut{emitCase: c}
	y, err, stable := stableEmit(func() ([]byte, error) { return yaml.JSONToYAML([]byte(c.JSON)) })
	switch {
	case err != nil && stable:
		s := err.Error()
		o.Error = &s
	case err != nil:
		return nil, fmt.Errorf("JSONToYAML fails only on some runs: %v", err)
	case stable:
		o.YAML = &y
	default:
		o.Nondeterministic = true
		o.Lines = sortedLines(y)
	}
	return o, nil
}
