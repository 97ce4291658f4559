// Command gen writes the generated inputs of the dependency vectors:
//
//	DIR/generated.input.json   seeded random graphs for dependency.Sort
//	DIR/ready-expr.input.json  readyExpr expressions for runtime/cel
//
// It only writes inputs; `go run . DIR` (the oracle) computes the expectations.
// The output is a pure function of this file: the random part uses its own
// seeded generator, so it does not depend on the Go version.
//
// Usage (from conformance/oracle-deps): go run ./gen ../deps
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const seed = 0xdeb5_0dd5_2026

type ref struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

type object struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	DependsOn []ref  `json:"dependsOn,omitempty"`
}

type testCase struct {
	Name    string    `json:"name"`
	Objects []*object `json:"objects,omitempty"`
	Expr    *string   `json:"expr,omitempty"`
}

type file struct {
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Cases       []testCase `json:"-"`
}

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

func (r *rng) chance(percent int) bool { return r.intn(100) < percent }

func (r *rng) pick(xs []string) string { return xs[r.intn(len(xs))] }

var namespaces = []string{"flux-system", "default", "apps", "infra"}

var words = []string{"apps", "infra", "configs", "crds", "controllers", "monitoring", "ingress",
	"cert-manager", "db", "redis", "podinfo", "frontend", "backend", "common", "vault", "dns"}

// flavour says what a random graph may contain.
type flavour struct {
	name       string
	cycles     bool // back edges
	selfLoops  bool
	external   bool // dependencies on objects not in the input
	dupDeps    bool // the same dependency listed twice
	dupObjects bool // the same namespace/name twice
	emptyNS    bool // objects without namespace
}

var flavours = []flavour{
	{name: "dag"},
	{name: "dag-external", external: true},
	{name: "dag-dupdeps", dupDeps: true},
	{name: "cyclic", cycles: true},
	{name: "self-loop", selfLoops: true},
	{name: "dup-objects", dupObjects: true, external: true},
	{name: "empty-namespace", emptyNS: true, external: true},
	{name: "mixed", cycles: true, selfLoops: true, external: true, dupDeps: true, dupObjects: true, emptyNS: true},
}

func randomGraph(r *rng, f flavour) []*object {
	n := 1 + r.intn(24)
	type id struct{ ns, name string }
	ids := make([]id, 0, n)
	seen := map[id]bool{}
	for len(ids) < n {
		ns := r.pick(namespaces)
		if f.emptyNS && r.chance(30) {
			ns = ""
		}
		name := fmt.Sprintf("%s-%d", r.pick(words), r.intn(6))
		k := id{ns, name}
		if seen[k] {
			continue
		}
		seen[k] = true
		ids = append(ids, k)
	}
	// Dependencies point to objects earlier in a hidden topological order
	// (the index in ids); the input order is a shuffle of it.
	objs := make([]*object, n)
	for i, k := range ids {
		o := &object{Name: k.name, Namespace: k.ns}
		deps := r.intn(4)
		if i == 0 {
			deps = 0
		}
		for d := 0; d < deps; d++ {
			t := ids[r.intn(i)]
			o.DependsOn = append(o.DependsOn, depRef(r, o, t.ns, t.name))
		}
		if f.external && r.chance(25) {
			o.DependsOn = append(o.DependsOn, depRef(r, o, r.pick(namespaces), "external-"+r.pick(words)))
		}
		if f.dupDeps && len(o.DependsOn) > 0 && r.chance(40) {
			o.DependsOn = append(o.DependsOn, o.DependsOn[r.intn(len(o.DependsOn))])
		}
		objs[i] = o
	}
	if f.cycles && n > 1 {
		for c := 0; c < 1+r.intn(2); c++ {
			from := 1 + r.intn(n-1)
			to := r.intn(from)
			// to depends (back) on from: a cycle whenever from reaches to.
			objs[to].DependsOn = append(objs[to].DependsOn, depRef(r, objs[to], ids[from].ns, ids[from].name))
			// Make sure from reaches to.
			objs[from].DependsOn = append(objs[from].DependsOn, depRef(r, objs[from], ids[to].ns, ids[to].name))
		}
	}
	if f.selfLoops {
		i := r.intn(n)
		objs[i].DependsOn = append(objs[i].DependsOn, depRef(r, objs[i], ids[i].ns, ids[i].name))
	}
	for i := len(objs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		objs[i], objs[j] = objs[j], objs[i]
	}
	if f.dupObjects {
		for c := 0; c < 1+r.intn(2); c++ {
			src := objs[r.intn(len(objs))]
			dup := &object{Name: src.Name, Namespace: src.Namespace}
			if r.chance(50) {
				t := ids[r.intn(n)]
				dup.DependsOn = append(dup.DependsOn, depRef(r, dup, t.ns, t.name))
			}
			pos := r.intn(len(objs) + 1)
			objs = append(objs[:pos], append([]*object{dup}, objs[pos:]...)...)
		}
	}
	return objs
}

// depRef names ns/name from o, leaving the namespace out half of the time
// when it is o's own.
func depRef(r *rng, o *object, ns, name string) ref {
	if ns == o.Namespace && r.chance(50) {
		return ref{Name: name}
	}
	return ref{Name: name, Namespace: ns}
}

func chain(n int, ns string, reversed bool) []*object {
	objs := make([]*object, n)
	for i := range objs {
		objs[i] = &object{Name: fmt.Sprintf("k%05d", i), Namespace: ns}
		if i > 0 {
			objs[i].DependsOn = []ref{{Name: fmt.Sprintf("k%05d", i-1)}}
		}
	}
	if reversed {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			objs[i], objs[j] = objs[j], objs[i]
		}
	}
	return objs
}

func generated() file {
	r := &rng{s: seed}
	var cases []testCase
	for i := 0; i < 240; i++ {
		f := flavours[i%len(flavours)]
		cases = append(cases, testCase{
			Name:    fmt.Sprintf("random-%03d-%s", i, f.name),
			Objects: randomGraph(r, f),
		})
	}
	cases = append(cases,
		testCase{Name: "chain-1000", Objects: chain(1000, "flux-system", false)},
		testCase{Name: "chain-1000-reversed", Objects: chain(1000, "flux-system", true)},
		testCase{Name: "chain-300-no-namespace", Objects: chain(300, "", true)},
	)
	ring := chain(300, "default", true)
	ring[len(ring)-1].DependsOn = []ref{{Name: "k00299"}}
	cases = append(cases, testCase{Name: "ring-300", Objects: ring})
	fan := []*object{{Name: "root", Namespace: "flux-system"}}
	for i := 0; i < 300; i++ {
		fan = append(fan, &object{Name: fmt.Sprintf("leaf-%03d", i), Namespace: "flux-system", DependsOn: []ref{{Name: "root"}}})
	}
	cases = append(cases, testCase{Name: "fan-out-300", Objects: fan})
	return file{
		Description: "Seeded random graphs for dependency.Sort (DAGs, cycles, self-loops, dependencies outside the input, duplicate dependsOn entries, duplicate objects, objects and entries without namespace), then long chains, a ring and a fan.",
		Source:      "conformance/oracle-deps/gen (deterministic); expectations computed by conformance/oracle-deps",
		Cases:       cases,
	}
}

// readyExprs are hand-picked expressions: what users write, common mistakes,
// every kind of literal, macros, extension functions, and the limits.
var readyExprs = []string{
	// Accepted.
	"dep.status.ready == true",
	"true",
	"!dep.x",
	"dep.x && dep.y",
	"dep.x || true",
	"dep.x ? true : false",
	"dep.x == true ? dep.y == 1 : dep.z == 2",
	"has(dep.status)",
	"has(dep.status.conditions) && dep.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
	"dep.x in ['a']",
	"'a' in dep.x",
	"size(dep.x) > 0",
	"dep.x.size() > 0",
	"dep.status.conditions.exists(c, c.type == 'Ready')",
	"dep.status.conditions.all(c, c.status == 'True')",
	"dep.status.conditions.exists_one(c, c.type == 'Ready')",
	"dep.metadata.generation == dep.status.observedGeneration",
	"dep.x == 1 && self.y",
	"dep.x + 1 > 2",
	"dep.x.startsWith('a')",
	"dep.x.endsWith('a')",
	"dep.x.contains('a')",
	"dep.x.matches('^a+$')",
	"dep.?x.hasValue()",
	"dep[?'x'].orValue(true) == true",
	"type(dep) == map",
	"int(dep.x) > 1",
	"string(dep.x) == 'a'",
	"dep.x.lowerAscii() == 'a'",
	"bool(dep.x)",
	"1 < 2",
	"1 < 2.0",
	"[true][0]",
	"{'a': true}['a']",
	"((dep.x == 1))",
	"!true",
	"sets.contains(dep.x, [1])",
	"timestamp(dep.x) > timestamp('2020-01-01T00:00:00Z')",
	"duration('1s') < duration('2s')",
	"dyn(dep.x) == 1",
	"has(dep.x.y) && dep.x.y.z == 'a'",
	"dep.x || dep.y && !dep.z",
	"null == dep.x",
	"dep.x != null",
	"self.metadata.name == dep.metadata.name",
	"self.metadata.namespace == dep.metadata.namespace && dep.status.lastAppliedRevision == self.status.lastAttemptedRevision",
	"dep.x.all(c, c)",
	"[1,2].all(c, c > 0)",
	"[1,2].map(c, c > 0)[0]",
	"dep.x.exists(c, c.y)",
	"dep.x == 1 // comment",
	"\"\"\"x\"\"\" == dep.x",
	"r'\\d' == dep.x",
	"0x10 == dep.x",
	"dep.x == 1e3",
	"dep.x == -1",
	"false || dep.x",
	"dep.status.conditions.filter(c, c.type == 'Ready').size() == 1",
	"dep.status.conditions.map(c, c.type).exists(t, t == 'Ready')",
	"dep.x == b'abc'",
	"dep.x == 1u",
	"dep.metadata.labels['app.kubernetes.io/name'] == 'podinfo'",
	"'ready' in dep.metadata.annotations",
	"dep.status.conditions[0].status == 'True'",
	"dep.x.split(',').size() == 2",
	"dep.status.ready == true\n  && dep.status.observedGeneration > 0",
	"optional.of(dep.x).hasValue()",
	"dep.?x.or(optional.none()).hasValue()",
	"base64.encode(b'a') == dep.x",
	"strings.quote(dep.x) == 'a'",
	"dep.x.all(k, v, v == 1)",
	// Not bool.
	"dep.status.ready",
	"dep",
	"self",
	"1",
	"'a'",
	"1.0",
	"1u",
	"null",
	"[1]",
	"{}",
	"[]",
	"{'a':1}",
	"b'x'",
	"-dep.x",
	"dep.x ? dep.y : true",
	"dep.x ? 1 : 2",
	"size(dep.x)",
	"dep.x.map(c, c)",
	"dep.x.filter(c, true)",
	"dep.?x.orValue(false)",
	"dep.x == true ? dep.y : dep.z",
	"dep['status']['ready']",
	"dep['status']",
	"dep.x[0]",
	"(dep.x)",
	"dyn(true)",
	"dep.x.size()",
	"true ? dep.x : dep.y",
	"dep.x ? dep.y : dep.z",
	"google.protobuf.Struct{}",
	"dep.status.conditions.map(c, c.type)",
	"[1,2].map(c, c > 0)",
	"string(dep.x)",
	"int(dep.x)",
	"dep.x.lowerAscii()",
	"duration('1s')",
	"timestamp(dep.x)",
	"{'a': dep.x}",
	"dep.status.conditions",
	// Do not compile: syntax.
	"dep.status.ready ==",
	"dep.status..ready",
	"dep.x ==",
	"@",
	"dep.x = 1",
	"dep.x == 1 &",
	"'unterminated",
	"dep.x.exists(c c)",
	"in",
	"true true",
	"",
	" ",
	"dep.x == (1",
	"dep.x == 1)",
	"dep.status.ready == True",
	"dep.status.ready === true",
	"dep.status.ready == true and dep.x",
	"dep.x ? true",
	"[1, 2",
	"{'a': 1",
	"dep.x.",
	"has(dep)",
	"has(1)",
	"dep.x.exists(1, true)",
	"dep.status.ready ==\n  true &&",
	"dep.x == 'é' &&",
	// Do not compile: checks.
	"foo.bar == 1",
	"foo",
	"x",
	"status.ready == true",
	"1 + 'a'",
	"1 == 'a'",
	"true == 'a'",
	"true ? true : 1",
	"!1",
	"true && 1",
	"dep.x && 'a'",
	"[dep.x, true]",
	"[1, 'a']",
	"{1: 'a', 'b': 2}",
	"dep.x.all(c, 1)",
	"true < 'a'",
	"dep.x.exists(c, d)",
	"math.greatest(1, 2) == 2",
}

func readyExprFile() file {
	var cases []testCase
	for i, e := range readyExprs {
		e := e
		cases = append(cases, testCase{Name: fmt.Sprintf("expr-%03d", i), Expr: &e})
	}
	add := func(name, e string) { cases = append(cases, testCase{Name: name, Expr: &e}) }
	add("nested-parens-100", strings.Repeat("(", 100)+"dep.x == 1"+strings.Repeat(")", 100))
	add("nested-parens-300", strings.Repeat("(", 300)+"dep.x == 1"+strings.Repeat(")", 300))
	add("nested-lists-300", strings.Repeat("[", 300)+"1"+strings.Repeat("]", 300))
	add("open-parens-1000", strings.Repeat("(", 1000))
	add("and-chain-200", strings.TrimSuffix(strings.Repeat("dep.x == 1 && ", 200), " && "))
	add("plus-chain-100", "dep.x == "+strings.TrimSuffix(strings.Repeat("1 + ", 100), " + "))
	add("plus-chain-300", "dep.x == "+strings.TrimSuffix(strings.Repeat("1 + ", 300), " + "))
	add("select-chain-100", "dep"+strings.Repeat(".a", 100)+" == 1")
	add("select-chain-300", "dep"+strings.Repeat(".a", 300)+" == 1")
	add("ternary-chain-300", strings.Repeat("dep.x ? true : ", 300)+"false")
	add("size-limit", "dep.x == '"+strings.Repeat("a", 100_000)+"'")
	return file{
		Description: "readyExpr expressions compiled as kustomize-controller and helm-controller compile them (runtime/cel NewExpression with WithCompile, WithOutputType(bool), WithStructVariables(\"self\", \"dep\")): accepted, not bool, syntax errors, check errors, limits.",
		Source:      "conformance/oracle-deps/gen (hand-picked); expectations computed by conformance/oracle-deps",
		Cases:       cases,
	}
}

func write(dir, name string, f file) {
	seen := map[string]bool{}
	for _, c := range f.Cases {
		if seen[c.Name] {
			panic("duplicate case name " + c.Name)
		}
		seen[c.Name] = true
	}
	b, err := marshalFile(f, f.Cases)
	if err != nil {
		panic(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d cases)\n", p, len(f.Cases))
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./gen DIR")
		os.Exit(2)
	}
	write(os.Args[1], "generated.input.json", generated())
	write(os.Args[1], "ready-expr.input.json", readyExprFile())
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
