// Command gen writes the inputs of the postBuild conformance vectors:
//
//	DIR/emit.input.json                 JSON texts for sigs.k8s.io/yaml.JSONToYAML
//	DIR/source.input.json               YAML documents as kustomize build reads them
//	DIR/upstream-pkg.input.json         the pkg/kustomize varsub tests (transcribed in upstream.go)
//	DIR/upstream-controller.input.json  the kustomize-controller varsub tests (transcribed in upstream.go)
//	DIR/generated.input.json            postBuild rules, hand-written and seeded random cases
//
// It only writes inputs; `go run . DIR` (the oracle) computes the expectations.
// The output is a pure function of this program: the random parts use their
// own seeded generator, so they do not depend on the Go version.
//
// Usage (from conformance/oracle-postbuild): go run ./gen ../postbuild
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// rng is splitmix64: tiny, seeded, stable across Go versions.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *rng) pick(xs []string) string { return xs[r.intn(len(xs))] }

func (r *rng) chance(percent int) bool { return r.intn(100) < percent }

type file struct {
	Description string `json:"description"`
	Source      string `json:"source"`
	Mode        string `json:"mode"`
	Cases       []any  `json:"cases"`
}

func write(dir, name string, f file) {
	seen := map[string]bool{}
	for _, c := range f.Cases {
		b, err := json.Marshal(c)
		if err != nil {
			panic(err)
		}
		var n struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(b, &n); err != nil || n.Name == "" {
			panic("case without a name in " + name)
		}
		if seen[n.Name] {
			panic("duplicate case name " + n.Name + " in " + name)
		}
		seen[n.Name] = true
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		panic(err)
	}
	path := filepath.Join(dir, name+".input.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("wrote %s (%d cases)\n", path, len(f.Cases))
}

// postBuildCase is one case of the postbuild mode (see ../../postbuild/README.md).
type postBuildCase struct {
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	Kustomization string `json:"kustomization"`
	Cluster       string `json:"cluster"`
	Resources     string `json:"resources"`
	Strict        bool   `json:"strict"`
	DryRun        bool   `json:"dry_run,omitempty"`
	Always        *bool  `json:"always,omitempty"`
	Direct        bool   `json:"direct,omitempty"`
}

// docs joins YAML documents into one stream.
func docs(ds ...string) string {
	var out []string
	for _, d := range ds {
		if d == "" {
			continue
		}
		if !strings.HasSuffix(d, "\n") {
			d += "\n"
		}
		out = append(out, d)
	}
	return strings.Join(out, "---\n")
}

// quote renders s as a YAML double-quoted scalar (JSON string syntax is a
// subset of YAML's double-quoted style).
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// kv is an ordered string map.
type kv [][2]string

func (m kv) yaml(indent string) string {
	var b strings.Builder
	for _, p := range m {
		fmt.Fprintf(&b, "%s%s: %s\n", indent, quote(p[0]), quote(p[1]))
	}
	return b.String()
}

func sortedKV(m map[string]string) kv {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := kv{}
	for _, k := range keys {
		out = append(out, [2]string{k, m[k]})
	}
	return out
}

type ref struct {
	Kind, Name string
	Optional   bool
}

// pb describes spec.postBuild; nil fields are left out.
type pb struct {
	Strategy   string
	Substitute kv
	// EmptySubstitute writes `substitute: {}`.
	EmptySubstitute bool
	From            []ref
}

const fluxNS = "flux-system"

// kustomization renders a kustomize.toolkit.fluxcd.io/v1 Kustomization in ns;
// p == nil leaves spec.postBuild out.
func kustomization(ns string, p *pb) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: %s
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`, ns)
	if p == nil {
		return b.String()
	}
	if p.Strategy == "" && len(p.Substitute) == 0 && !p.EmptySubstitute && len(p.From) == 0 {
		b.WriteString("  postBuild: {}\n")
		return b.String()
	}
	b.WriteString("  postBuild:\n")
	if p.Strategy != "" {
		fmt.Fprintf(&b, "    substituteStrategy: %s\n", p.Strategy)
	}
	if p.EmptySubstitute {
		b.WriteString("    substitute: {}\n")
	} else if len(p.Substitute) > 0 {
		b.WriteString("    substitute:\n")
		b.WriteString(p.Substitute.yaml("      "))
	}
	if len(p.From) > 0 {
		b.WriteString("    substituteFrom:\n")
		for _, r := range p.From {
			fmt.Fprintf(&b, "    - kind: %s\n      name: %s\n", r.Kind, r.Name)
			if r.Optional {
				b.WriteString("      optional: true\n")
			}
		}
	}
	return b.String()
}

func configMap(ns, name string, data kv) string {
	s := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n", name, ns)
	if len(data) > 0 {
		s += "data:\n" + data.yaml("  ")
	}
	return s
}

// secret renders a Secret; data values are given decoded and written base64.
func secret(ns, name string, data, stringData kv) string {
	s := fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\ntype: Opaque\n", name, ns)
	if len(data) > 0 {
		s += "data:\n"
		for _, p := range data {
			s += fmt.Sprintf("  %s: %s\n", quote(p[0]), b64(p[1]))
		}
	}
	if len(stringData) > 0 {
		s += "stringData:\n" + stringData.yaml("  ")
	}
	return s
}

func b64(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	src := []byte(s)
	var out strings.Builder
	for i := 0; i < len(src); i += 3 {
		var chunk [3]byte
		n := copy(chunk[:], src[i:])
		v := uint(chunk[0])<<16 | uint(chunk[1])<<8 | uint(chunk[2])
		for j := 0; j < 4; j++ {
			if j <= n {
				out.WriteByte(alphabet[(v>>(18-6*j))&63])
			} else {
				out.WriteByte('=')
			}
		}
	}
	return out.String()
}

func boolp(b bool) *bool { return &b }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	write(dir, "emit", file{
		Description: "JSON texts converted to YAML by sigs.k8s.io/yaml.JSONToYAML (go-yaml v2 emitter), the conversion behind kustomize's Resource.AsYAML: key order, quoting, block scalars, line folding at 80 columns, numbers; then seeded random JSON trees.",
		Source:      "conformance/oracle-postbuild/gen (deterministic); expectations computed by conformance/oracle-postbuild",
		Mode:        "emit",
		Cases:       emitCases(),
	})
	write(dir, "source", file{
		Description: "One YAML document per case, built by kustomize (pkg/kustomize.Build over an in-memory overlay listing it): how kyaml (yaml.v3, YAML 1.2 core scalars) reads the source, then the Resource's MarshalJSON and AsYAML.",
		Source:      "conformance/oracle-postbuild/gen (deterministic); expectations computed by conformance/oracle-postbuild",
		Mode:        "source",
		Cases:       sourceCases(),
	})
	write(dir, "upstream-pkg", file{
		Description: "The cases of github.com/fluxcd/pkg/kustomize v1.35.4 kustomize_varsub_test.go with its testdata (kustomization_varsub*.yaml, configmap*.yaml, secret_empty.yaml, resources/, varsubalways/, varsubstrict/, varsubstrictempty/), then every testdata Kustomization against every varsub directory in both modes.",
		Source:      "transcribed from fluxcd/pkg kustomize/kustomize_varsub_test.go and kustomize/testdata (gen/upstream.go)",
		Mode:        "postbuild",
		Cases:       upstreamPkgCases(),
	})
	write(dir, "upstream-controller", file{
		Description: "The cases of kustomize-controller v1.9.4 internal/controller/kustomization_varsub_test.go: the Kustomization, the ConfigMaps and Secrets the test creates, the manifests of its artifact and the strict setting (random names replaced by fixed ones).",
		Source:      "transcribed from fluxcd/kustomize-controller internal/controller/kustomization_varsub_test.go (gen/upstream.go)",
		Mode:        "postbuild",
		Cases:       upstreamControllerCases(),
	})
	write(dir, "generated", file{
		Description: "Every postBuild rule: envsubst operators in manifests, strict mode, parse errors, the disable label and annotation, substituteFrom order and optional references, Secret data and stringData, newline removal, invalid variable names, substituteStrategy, dry-run, typing of substituted values and how the emitted YAML (quoting, folding, block scalars) shapes them; then seeded random cases.",
		Source:      "conformance/oracle-postbuild/gen (deterministic); expectations computed by conformance/oracle-postbuild",
		Mode:        "postbuild",
		Cases:       generatedCases(),
	})
}
