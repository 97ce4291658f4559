// Command oracle-postbuild computes the expected answers of the postBuild
// conformance vectors by calling the Go packages kustomize-controller itself
// runs (github.com/fluxcd/pkg/kustomize, sigs.k8s.io/kustomize, sigs.k8s.io/yaml,
// the versions pinned in go.mod).
//
// Usage (from conformance/oracle-postbuild):
//
//	go run . ../postbuild                          # DIR/<name>.input.json -> DIR/<name>.json
//	go run . bench STREAM.yaml VARS.json N         # timings, JSON on stdout
//	go run . gen-bench-stream OUT.yaml [VARS.json] # deterministic benchmark input
//
// Each input file names its mode ("emit", "source" or "postbuild"); see
// ../postbuild/README.md for the formats. Expected outputs are never edited by
// hand: change the input (or ./gen) and rerun.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
)

// modules whose versions are recorded in every output file.
var recordedModules = []string{
	"github.com/fluxcd/pkg/kustomize",
	"github.com/fluxcd/pkg/envsubst",
	"github.com/fluxcd/kustomize-controller/api",
	"sigs.k8s.io/kustomize/api",
	"sigs.k8s.io/kustomize/kyaml",
	"sigs.k8s.io/yaml",
	"go.yaml.in/yaml/v2",
	"go.yaml.in/yaml/v3",
	"sigs.k8s.io/controller-runtime",
	"k8s.io/api",
	"k8s.io/apimachinery",
}

const generatedBy = "conformance/oracle-postbuild (cd conformance/oracle-postbuild && go run . ../postbuild)"

type inputFile struct {
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Mode        string            `json:"mode"`
	Cases       []json.RawMessage `json:"cases"`
}

type header struct {
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Mode        string            `json:"mode"`
	Modules     map[string]string `json:"modules"`
	GoVersion   string            `json:"go_version"`
	GeneratedBy string            `json:"generated_by"`
}

func moduleVersions() map[string]string {
	out := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	for _, want := range recordedModules {
		out[want] = "unknown"
		for _, d := range bi.Deps {
			if d.Path != want {
				continue
			}
			v := d.Version
			if d.Replace != nil {
				v += " => " + d.Replace.Path + " " + d.Replace.Version
			}
			out[want] = v
		}
	}
	return out
}

// decodeStrict decodes one JSON value, rejecting unknown fields.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// encode writes v as indented JSON without HTML escaping.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func runFile(in string, mods map[string]string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var f inputFile
	if err := decodeStrict(data, &f); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	h := header{
		Description: f.Description,
		Source:      f.Source,
		Mode:        f.Mode,
		Modules:     mods,
		GoVersion:   runtime.Version(),
		GeneratedBy: generatedBy,
	}
	var cases []any
	seen := map[string]bool{}
	for i, raw := range f.Cases {
		var named struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(raw, &named); err != nil || named.Name == "" {
			return fmt.Errorf("%s: case %d has no name", in, i)
		}
		if seen[named.Name] {
			return fmt.Errorf("%s: duplicate case name %q", in, named.Name)
		}
		seen[named.Name] = true
		var out any
		switch f.Mode {
		case "emit":
			out, err = runEmit(raw)
		case "source":
			out, err = runSource(raw)
		case "postbuild":
			out, err = runPostBuild(raw)
		default:
			return fmt.Errorf("%s: unknown mode %q", in, f.Mode)
		}
		if err != nil {
			return fmt.Errorf("%s: case %q: %w", in, named.Name, err)
		}
		cases = append(cases, out)
	}
	if cases == nil {
		cases = []any{}
	}
	b, err := encode(struct {
		header
		Cases []any `json:"cases"`
	}{h, cases})
	if err != nil {
		return err
	}
	return os.WriteFile(strings.TrimSuffix(in, ".input.json")+".json", b, 0o644)
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  go run . DIR                               reads DIR/*.input.json, writes DIR/*.json
  go run . bench STREAM.yaml VARS.json N     times envsubst and the postBuild pipeline
  go run . gen-bench-stream OUT.yaml [VARS.json]  writes the benchmark stream (and its vars)
  go run . bench-load DIR N                  median of N loads of every YAML file of DIR (sigs.k8s.io/yaml)`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "bench":
		if len(os.Args) != 5 {
			usage()
		}
		if err := runBench(os.Args[2], os.Args[3], os.Args[4]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	case "bench-load":
		if len(os.Args) != 4 {
			usage()
		}
		if err := runBenchLoad(os.Args[2], os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	case "gen-bench-stream":
		if len(os.Args) != 3 && len(os.Args) != 4 {
			usage()
		}
		varsPath := ""
		if len(os.Args) == 4 {
			varsPath = os.Args[3]
		}
		if err := genBenchStream(os.Args[2], varsPath); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 2 {
		usage()
	}
	ins, err := filepath.Glob(filepath.Join(os.Args[1], "*.input.json"))
	if err != nil || len(ins) == 0 {
		fmt.Fprintln(os.Stderr, "no *.input.json files in", os.Args[1])
		os.Exit(1)
	}
	sort.Strings(ins)
	mods := moduleVersions()
	for _, in := range ins {
		if err := runFile(in, mods); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", strings.TrimSuffix(in, ".input.json")+".json")
	}
}
