// Command oracle-deps computes the expected answers of the dependency-ordering
// conformance vectors with the Go code Flux itself runs: Sort of
// github.com/fluxcd/pkg/runtime/dependency and, for readyExpr, NewExpression of
// github.com/fluxcd/pkg/runtime/cel called as kustomize-controller calls it
// (the versions pinned in go.mod, those of kustomize-controller v1.9.4).
//
// For every DIR/<name>.input.json it writes DIR/<name>.json. Expected outputs
// are never edited by hand: change the input (or the generator) and rerun
//
//	go run . ../deps
//
// `go run . bench FILE` times Sort on the objects of FILE (the format written
// by benches/examples/deps_vs_go.rs) and prints the best time in nanoseconds.
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
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/cel"
	"github.com/fluxcd/pkg/runtime/dependency"
	celtypes "github.com/google/cel-go/common/types"
)

const runtimeModule = "github.com/fluxcd/pkg/runtime"

// ref is a dependsOn entry as written (namespace may be empty).
type ref struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// object is the smallest implementation of dependency.Dependent.
type object struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	DependsOn []ref  `json:"dependsOn,omitempty"`
}

func (o *object) GetName() string      { return o.Name }
func (o *object) GetNamespace() string { return o.Namespace }
func (o *object) GetDependsOn() []meta.DependencyReference {
	out := make([]meta.DependencyReference, 0, len(o.DependsOn))
	for _, d := range o.DependsOn {
		out = append(out, meta.DependencyReference{Name: d.Name, Namespace: d.Namespace})
	}
	return out
}

type inputFile struct {
	Description string      `json:"description"`
	Source      string      `json:"source"`
	Cases       []inputCase `json:"cases"`
}

// inputCase is either a Sort case (objects) or a readyExpr case (expr).
type inputCase struct {
	Name    string    `json:"name"`
	Objects []*object `json:"objects,omitempty"`
	Expr    *string   `json:"expr,omitempty"`
}

type outputFile struct {
	Description    string       `json:"description"`
	Source         string       `json:"source"`
	RuntimeModule  string       `json:"runtime_module"`
	RuntimeVersion string       `json:"runtime_version"`
	CelGoVersion   string       `json:"cel_go_version"`
	GoVersion      string       `json:"go_version"`
	GeneratedBy    string       `json:"generated_by"`
	Cases          []outputCase `json:"-"`
}

type outputCase struct {
	Name    string    `json:"name"`
	Objects []*object `json:"objects,omitempty"`
	Expr    *string   `json:"expr,omitempty"`
	Expect  expect    `json:"expect"`
}

type expect struct {
	// Order is the sorted list, each entry as NamespacedObjectReference.String().
	Order []string `json:"order,omitempty"`
	// Error is the error text of Sort or of NewExpression.
	Error *string `json:"error,omitempty"`
	// Valid is set for readyExpr cases: true when the expression compiles
	// with bool output, as kustomize-controller requires.
	Valid *bool `json:"valid,omitempty"`
}

func toDependents(objs []*object) []dependency.Dependent {
	out := make([]dependency.Dependent, 0, len(objs))
	for _, o := range objs {
		out = append(out, o)
	}
	return out
}

func sortCase(objs []*object) expect {
	sorted, err := dependency.Sort(toDependents(objs))
	if err != nil {
		s := err.Error()
		return expect{Error: &s}
	}
	order := make([]string, 0, len(sorted))
	for _, r := range sorted {
		order = append(order, r.String())
	}
	return expect{Order: order}
}

// readyExprCase compiles the expression exactly as kustomize-controller's
// evalReadyExpr (and helm-controller's) does before evaluating it.
func readyExprCase(expr string) expect {
	_, err := cel.NewExpression(expr,
		cel.WithCompile(),
		cel.WithOutputType(celtypes.BoolType),
		cel.WithStructVariables("self", "dep"))
	valid := err == nil
	e := expect{Valid: &valid}
	if err != nil {
		s := err.Error()
		e.Error = &s
	}
	return e
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == path {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

func process(inPath string) error {
	data, err := os.ReadFile(inPath)
	if err != nil {
		return err
	}
	var in inputFile
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("%s: %w", inPath, err)
	}
	out := outputFile{
		Description:    in.Description,
		Source:         in.Source,
		RuntimeModule:  runtimeModule,
		RuntimeVersion: moduleVersion(runtimeModule),
		CelGoVersion:   moduleVersion("github.com/google/cel-go"),
		GoVersion:      runtime.Version(),
		GeneratedBy:    "conformance/oracle-deps (cd conformance/oracle-deps && go run . ../deps)",
	}
	seen := map[string]bool{}
	for _, c := range in.Cases {
		if seen[c.Name] {
			return fmt.Errorf("%s: duplicate case name %q", inPath, c.Name)
		}
		seen[c.Name] = true
		oc := outputCase{Name: c.Name, Objects: c.Objects, Expr: c.Expr}
		if c.Expr != nil {
			oc.Expect = readyExprCase(*c.Expr)
		} else {
			oc.Expect = sortCase(c.Objects)
		}
		out.Cases = append(out.Cases, oc)
	}
	b, err := marshalFile(out, out.Cases)
	if err != nil {
		return err
	}
	outPath := strings.TrimSuffix(inPath, ".input.json") + ".json"
	return os.WriteFile(outPath, b, 0o644)
}

// bench times Sort on the objects of file: the best of several runs.
func bench(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var objs []*object
	if err := json.Unmarshal(data, &objs); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	deps := toDependents(objs)
	best := time.Duration(1<<63 - 1)
	var n int
	for i := 0; i < 30; i++ {
		start := time.Now()
		sorted, err := dependency.Sort(deps)
		d := time.Since(start)
		if err != nil {
			return err
		}
		n = len(sorted)
		if d < best {
			best = d
		}
	}
	fmt.Printf("%d\n", best.Nanoseconds())
	fmt.Fprintf(os.Stderr, "go: Sort of %d objects (%d in the order): best of 30 = %.3f ms\n", len(objs), n, float64(best.Nanoseconds())/1e6)
	return nil
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "bench" {
		if err := bench(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . DIR | go run . bench FILE")
		os.Exit(2)
	}
	inputs, err := filepath.Glob(filepath.Join(os.Args[1], "*.input.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sort.Strings(inputs)
	for _, p := range inputs {
		if err := process(p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "wrote", strings.TrimSuffix(p, ".input.json")+".json")
	}
}

// marshalFile writes a vector file with one case per line: readable diffs,
// small files.
func marshalFile(header any, cases any) ([]byte, error) {
	encode := func(v any, indent bool) ([]byte, error) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if indent {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimRight(b.Bytes(), "\n"), nil
	}
	h, err := encode(header, true)
	if err != nil {
		return nil, err
	}
	b, err := encode(cases, false)
	if err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(h[:len(h)-2]) // without the closing "\n}"
	out.WriteString(",\n  \"cases\": [\n")
	for i, c := range list {
		out.WriteString("    ")
		out.Write(c)
		if i < len(list)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("  ]\n}\n")
	return out.Bytes(), nil
}
