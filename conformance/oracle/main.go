// Command oracle generates the YAML conformance vectors of fluxcd-core.
//
// It reads ../yaml/scalars.input.json, a JSON list of {"name", "yaml"} cases,
// converts each case's YAML with sigs.k8s.io/yaml.YAMLToJSON (the function
// Kubernetes and the Flux controllers use to read manifests: go-yaml v2 under
// YAML 1.1 rules, then JSON), and writes ../yaml/scalars.json: the same cases
// with "expect" (the JSON produced) or "expect_error": true and "error".
//
// Run it from this directory: go run .
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

type inputCase struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

type outputCase struct {
	Name        string          `json:"name"`
	YAML        string          `json:"yaml"`
	Expect      json.RawMessage `json:"expect,omitempty"`
	ExpectError bool            `json:"expect_error,omitempty"`
	Error       string          `json:"error,omitempty"`
}

func main() {
	in := flag.String("in", "../yaml/scalars.input.json", "input cases")
	out := flag.String("out", "../yaml/scalars.json", "output vectors")
	flag.Parse()

	data, err := os.ReadFile(*in)
	if err != nil {
		fail(err)
	}
	var cases []inputCase
	if err := json.Unmarshal(data, &cases); err != nil {
		fail(fmt.Errorf("%s: %w", *in, err))
	}
	seen := map[string]bool{}
	result := make([]outputCase, 0, len(cases))
	for _, c := range cases {
		if seen[c.Name] {
			fail(fmt.Errorf("duplicate case name %q", c.Name))
		}
		seen[c.Name] = true
		o := outputCase{Name: c.Name, YAML: c.YAML}
		j, err := yaml.YAMLToJSON([]byte(c.YAML))
		if err != nil {
			o.ExpectError = true
			o.Error = err.Error()
		} else {
			o.Expect = j
		}
		result = append(result, o)
	}
	enc, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		fail(err)
	}
	enc = append(enc, '\n')
	if err := os.WriteFile(*out, enc, 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %d cases to %s\n", len(result), *out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "oracle:", err)
	os.Exit(1)
}
