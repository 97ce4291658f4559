// Command oracle-values computes the expected answers of the values
// conformance vectors by calling the Go packages helm-controller v1.6.3 runs:
// github.com/fluxcd/pkg/chartutil (ChartValuesFromReferences, MergeMaps,
// DigestValues) and helm.sh/helm/v4/pkg/strvals.
//
// Usage (from conformance/oracle-values):
//
//	go run . ../values                 # DIR/<name>.input.json -> DIR/<name>.json
//	go run . gen ../values             # write the *.input.json files (deterministic)
//	go run . bench INPUT.json N        # best and mean of N compositions of one case, JSON on stdout
//
// Each input file is {"description", "mode", "cases"}; a case is one of:
//
//	{"name", "kind": "compose", "inline", "refs", "objects"}
//	{"name", "kind": "strvals", "func", "set", "then", "string", "dest"}
//	{"name", "kind": "merge", "a", "b"}
//	{"name", "kind": "digest", "values", "algo"}
//	{"name", "kind": "replace", "path", "value", "literal", "dest", "then_path", "then_value"}
//	{"name", "kind": "verify", "digest", "values"}
//
// The output repeats each case with "expect" (a JSON value) or "error" (text).
package main

import (
	"context"
	"crypto"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/chartutil"
	"github.com/go-logr/logr"
	"github.com/opencontainers/go-digest"
	"helm.sh/helm/v4/pkg/strvals"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

var recordedModules = []string{
	"github.com/fluxcd/pkg/chartutil",
	"github.com/fluxcd/pkg/apis/meta",
	"helm.sh/helm/v4",
	"github.com/opencontainers/go-digest",
	"sigs.k8s.io/yaml",
	"go.yaml.in/yaml/v2",
	"sigs.k8s.io/controller-runtime",
	"k8s.io/api",
}

const generatedBy = "conformance/oracle-values (cd conformance/oracle-values && go run . ../values)"

type object struct {
	Kind       string            `json:"kind"`
	Name       string            `json:"name"`
	Data       map[string]string `json:"data,omitempty"`
	StringData map[string]string `json:"stringData,omitempty"`
}

type ref struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	ValuesKey  string `json:"valuesKey,omitempty"`
	TargetPath string `json:"targetPath,omitempty"`
	Optional   bool   `json:"optional,omitempty"`
	Literal    bool   `json:"literal,omitempty"`
}

type vcase struct {
	Name    string          `json:"name"`
	Kind    string          `json:"kind"`
	Inline  json.RawMessage `json:"inline,omitempty"`
	Refs    []ref           `json:"refs,omitempty"`
	Objects []object        `json:"objects,omitempty"`
	Set     string          `json:"set,omitempty"`
	String  bool            `json:"string,omitempty"`
	Dest    json.RawMessage `json:"dest,omitempty"`
	A       json.RawMessage `json:"a,omitempty"`
	B       json.RawMessage `json:"b,omitempty"`
	Values  json.RawMessage `json:"values,omitempty"`
	// strvals: the entry point (Parse, ParseString, ParseInto, ParseIntoString;
	// empty: ParseInto, or ParseIntoString when "string") and a second line
	// parsed into the same map.
	Func string `json:"func,omitempty"`
	Then string `json:"then,omitempty"`
	// replace: ReplacePathValue / ReplacePathLiteralValue(dest, path, value),
	// then optionally a second write into the same map.
	Path      string  `json:"path,omitempty"`
	Value     string  `json:"value,omitempty"`
	Literal   bool    `json:"literal,omitempty"`
	ThenPath  *string `json:"then_path,omitempty"`
	ThenValue string  `json:"then_value,omitempty"`
	// digest: the algorithm (empty: sha256); verify: the digest to check.
	Algo   string `json:"algo,omitempty"`
	Digest string `json:"digest,omitempty"`
}

type vout struct {
	vcase
	Expect any     `json:"expect,omitempty"`
	Null   bool    `json:"expect_null,omitempty"`
	Error  *string `json:"error,omitempty"`
}

const namespace = "flux-system"

func decodeMap(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	// As helm-controller's GetValues: unmarshal errors give nil values.
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

func kubeObjects(objs []object) ([]client.Object, error) {
	var out []client.Object
	for _, o := range objs {
		meta := metav1.ObjectMeta{Name: o.Name, Namespace: namespace}
		switch o.Kind {
		case "ConfigMap":
			out = append(out, &corev1.ConfigMap{ObjectMeta: meta, Data: o.Data})
		case "Secret":
			// The fake client stores what it is given; the API server would
			// decode data and fold stringData into data: do that here.
			data := map[string][]byte{}
			for k, v := range o.Data {
				b, err := decodeBase64(v)
				if err != nil {
					return nil, fmt.Errorf("secret %s key %s: %w", o.Name, k, err)
				}
				data[k] = b
			}
			for k, v := range o.StringData {
				data[k] = []byte(v)
			}
			out = append(out, &corev1.Secret{ObjectMeta: meta, Data: data})
		default:
			return nil, fmt.Errorf("unknown object kind %q", o.Kind)
		}
	}
	return out, nil
}

func compose(c vcase) (map[string]any, error) {
	objs, err := kubeObjects(c.Objects)
	if err != nil {
		return nil, err
	}
	kube := fake.NewClientBuilder().WithObjects(objs...).Build()
	refs := make([]meta.ValuesReference, len(c.Refs))
	for i, r := range c.Refs {
		refs[i] = meta.ValuesReference{Kind: r.Kind, Name: r.Name, ValuesKey: r.ValuesKey,
			TargetPath: r.TargetPath, Optional: r.Optional, Literal: r.Literal}
	}
	return chartutil.ChartValuesFromReferences(context.Background(), logr.Discard(), kube, namespace, decodeMap(c.Inline), refs...)
}

func run(c vcase) (vout, error) {
	o := vout{vcase: c}
	var result any
	var err error
	switch c.Kind {
	case "compose":
		var m map[string]any
		m, err = compose(c)
		result = m
	case "strvals":
		dest := decodeMap(c.Dest)
		if dest == nil {
			dest = map[string]any{}
		}
		fn := c.Func
		if fn == "" {
			fn = "ParseInto"
			if c.String {
				fn = "ParseIntoString"
			}
		}
		switch fn {
		case "Parse":
			dest, err = strvals.Parse(c.Set)
		case "ParseString":
			dest, err = strvals.ParseString(c.Set)
		case "ParseInto":
			err = strvals.ParseInto(c.Set, dest)
			if err == nil && c.Then != "" {
				err = strvals.ParseInto(c.Then, dest)
			}
		case "ParseIntoString":
			err = strvals.ParseIntoString(c.Set, dest)
			if err == nil && c.Then != "" {
				err = strvals.ParseIntoString(c.Then, dest)
			}
		default:
			return o, fmt.Errorf("case %q: unknown func %q", c.Name, fn)
		}
		result = dest
	case "replace":
		dest := decodeMap(c.Dest)
		if dest == nil {
			dest = map[string]any{}
		}
		write := chartutil.ReplacePathValue
		if c.Literal {
			write = chartutil.ReplacePathLiteralValue
		}
		err = write(dest, c.Path, c.Value)
		if err == nil && c.ThenPath != nil {
			err = write(dest, *c.ThenPath, c.ThenValue)
		}
		result = dest
	case "verify":
		result = chartutil.VerifyValues(digest.Digest(c.Digest), decodeMap(c.Values))
	case "merge":
		result = chartutil.MergeMaps(decodeMap(c.A), decodeMap(c.B))
	case "digest":
		algo := digest.SHA256
		if c.Algo != "" {
			algo = digest.Algorithm(c.Algo)
		}
		result = chartutil.DigestValues(algo, decodeMap(c.Values)).String()
	default:
		return o, fmt.Errorf("case %q: unknown kind %q", c.Name, c.Kind)
	}
	if err != nil {
		s := err.Error()
		o.Error = &s
		return o, nil
	}
	// Round-trip through JSON: numbers by value, maps with sorted keys.
	b, jerr := json.Marshal(result)
	if jerr != nil {
		return o, fmt.Errorf("case %q: %w", c.Name, jerr)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return o, err
	}
	if v == nil {
		o.Null = true
	}
	o.Expect = v
	return o, nil
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
			if d.Path == want {
				v := d.Version
				if d.Replace != nil {
					v += " => " + d.Replace.Path + " " + d.Replace.Version
				}
				out[want] = v
			}
		}
	}
	return out
}

func processFile(in, out string) (int, error) {
	raw, err := os.ReadFile(in)
	if err != nil {
		return 0, err
	}
	var f struct {
		Description string  `json:"description"`
		Cases       []vcase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("%s: %w", in, err)
	}
	outs := make([]vout, 0, len(f.Cases))
	for _, c := range f.Cases {
		o, err := run(c)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", in, err)
		}
		outs = append(outs, o)
	}
	doc := map[string]any{
		"description":  f.Description,
		"modules":      moduleVersions(),
		"go_version":   runtime.Version(),
		"generated_by": generatedBy,
		"cases":        outs,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return 0, err
	}
	return len(outs), os.WriteFile(out, append(b, '\n'), 0o644)
}

func bench(path string, n int) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var c vcase
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	objs, err := kubeObjects(c.Objects)
	if err != nil {
		return err
	}
	kube := fake.NewClientBuilder().WithObjects(objs...).Build()
	refs := make([]meta.ValuesReference, len(c.Refs))
	for i, r := range c.Refs {
		refs[i] = meta.ValuesReference{Kind: r.Kind, Name: r.Name, ValuesKey: r.ValuesKey,
			TargetPath: r.TargetPath, Optional: r.Optional, Literal: r.Literal}
	}
	// The best of n runs (as the Rust side reports), and the mean.
	best := time.Duration(1<<63 - 1)
	start := time.Now()
	for i := 0; i < n; i++ {
		t := time.Now()
		if _, err := chartutil.ChartValuesFromReferences(context.Background(), logr.Discard(), kube, namespace, decodeMap(c.Inline), refs...); err != nil {
			return err
		}
		if d := time.Since(t); d < best {
			best = d
		}
	}
	el := time.Since(start)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"n": n, "best_ns": best.Nanoseconds(), "mean_ns": el.Nanoseconds() / int64(n)})
}

func init() {
	// As helm-controller's internal/digest does, for legacy values digests.
	digest.RegisterAlgorithm("sha1", crypto.SHA1)
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "gen" {
		if err := gen(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) >= 2 && os.Args[1] == "bench" {
		n := 100
		if len(os.Args) >= 4 {
			n, _ = strconv.Atoi(os.Args[3])
		}
		if err := bench(os.Args[2], n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle-values DIR | bench INPUT.json N")
		os.Exit(2)
	}
	dir := os.Args[1]
	ins, _ := filepath.Glob(filepath.Join(dir, "*.input.json"))
	sort.Strings(ins)
	for _, in := range ins {
		out := strings.TrimSuffix(in, ".input.json") + ".json"
		n, err := processFile(in, out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d cases\n", out, n)
	}
}
