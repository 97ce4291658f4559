package main

// The deterministic generator of the input files (`go run . gen ../values`).
// Upstream tables are transcribed by hand below; the generated composition
// cases use a fixed-seed linear congruential generator, so the output never
// changes unless this file does.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s = r.s*6364136223846793005 + 1442695040888963407
	return r.s >> 33
}
func (r *rng) n(k int) int             { return int(r.next() % uint64(k)) }
func (r *rng) pick(xs []string) string { return xs[r.n(len(xs))] }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func cm(name string, data map[string]string) object {
	return object{Kind: "ConfigMap", Name: name, Data: data}
}
func sec(name string, data map[string]string) object {
	enc := map[string]string{}
	for k, v := range data {
		enc[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return object{Kind: "Secret", Name: name, Data: enc}
}

func upstreamCases() []vcase {
	var cs []vcase
	add := func(c vcase) { cs = append(cs, c) }
	// chartutil values_test.go TestChartValuesFromReferences (and the flux2#2625 cases).
	add(vcase{Name: "merges", Kind: "compose", Inline: raw(`{"other":"values"}`),
		Objects: []object{cm("values", map[string]string{"values.yaml": "flat: value\nnested:\n  configuration: value\n"}),
			sec("values", map[string]string{"values.yaml": "flat:\n  nested: value\nnested: value\n"})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values"}, {Kind: "Secret", Name: "values"}}})
	add(vcase{Name: "with target path", Kind: "compose",
		Objects: []object{sec("values", map[string]string{"single": "value"})},
		Refs:    []ref{{Kind: "Secret", Name: "values", ValuesKey: "single", TargetPath: "merge.at.specific.path"}}})
	add(vcase{Name: "target path precedence over all", Kind: "compose",
		Inline: raw(`{"nested":{"configuration":["list","item","option"]}}`),
		Objects: []object{cm("values", map[string]string{"values.yaml": "flat: value\nnested:\n  configuration:\n  - one\n  - two\n  - three\n"}),
			sec("values", map[string]string{"values.yaml": "value"})},
		Refs: []ref{{Kind: "Secret", Name: "values", TargetPath: "nested.configuration[0]"}, {Kind: "ConfigMap", Name: "values"}}})
	add(vcase{Name: "target path for string type array item", Kind: "compose", Inline: raw(`{"other":"values"}`),
		Objects: []object{cm("values", map[string]string{"values.yaml": "flat: value\nnested:\n  configuration:\n  - list\n  - item\n  - option\n"}),
			sec("values", map[string]string{"values.yaml": "foo"})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values"}, {Kind: "Secret", Name: "values", TargetPath: "nested.configuration[1]"}}})
	add(vcase{Name: "values reference to non existing secret", Kind: "compose", Refs: []ref{{Kind: "Secret", Name: "missing"}}})
	add(vcase{Name: "optional values reference to non existing secret", Kind: "compose", Refs: []ref{{Kind: "Secret", Name: "missing", Optional: true}}})
	add(vcase{Name: "values reference to non existing config map", Kind: "compose", Refs: []ref{{Kind: "ConfigMap", Name: "missing"}}})
	add(vcase{Name: "optional values reference to non existing config map", Kind: "compose", Refs: []ref{{Kind: "ConfigMap", Name: "missing", Optional: true}}})
	add(vcase{Name: "missing secret key", Kind: "compose", Objects: []object{sec("values", map[string]string{"values.yaml": "a: b"})},
		Refs: []ref{{Kind: "Secret", Name: "values", ValuesKey: "nonexisting"}}})
	add(vcase{Name: "missing config map key", Kind: "compose", Objects: []object{cm("values", map[string]string{"values.yaml": "a: b"})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values", ValuesKey: "nonexisting"}}})
	add(vcase{Name: "unsupported values reference kind", Kind: "compose", Refs: []ref{{Kind: "Unsupported"}}})
	add(vcase{Name: "invalid values", Kind: "compose", Objects: []object{cm("values", map[string]string{"values.yaml": "invalid"})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values"}}})
	file := "server:\n  port: 8080\nendpoints: [a, b, c]\nkey: a,b=c\n"
	add(vcase{Name: "non-literal target path with YAML file", Kind: "compose", Objects: []object{cm("values", map[string]string{"application.yml": file})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values", ValuesKey: "application.yml", TargetPath: `externalConfig.application\.yml.content`}}})
	add(vcase{Name: "literal target path with YAML file", Kind: "compose", Objects: []object{cm("values", map[string]string{"application.yml": file})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values", ValuesKey: "application.yml", TargetPath: `externalConfig.application\.yml.content`, Literal: true}}})
	add(vcase{Name: "literal without target path", Kind: "compose", Objects: []object{cm("values", map[string]string{"values.yaml": "flat: value\n"})},
		Refs: []ref{{Kind: "ConfigMap", Name: "values", Literal: true}}})
	brokers := "kafka01.net:9092,kafka02.net:9092,kafka03.net:9092"
	add(vcase{Name: "flux2#2625 non-literal", Kind: "compose", Objects: []object{sec("kafka", map[string]string{"brokers": brokers})},
		Refs: []ref{{Kind: "Secret", Name: "kafka", ValuesKey: "brokers", TargetPath: "kafka.brokers"}}})
	add(vcase{Name: "flux2#2625 literal", Kind: "compose", Objects: []object{sec("kafka", map[string]string{"brokers": brokers})},
		Refs: []ref{{Kind: "Secret", Name: "kafka", ValuesKey: "brokers", TargetPath: "kafka.brokers", Literal: true}}})
	// TestReplacePathValue / TestReplacePathLiteralValue, as compositions of one Secret value.
	type pv struct {
		path, value string
		literal     bool
	}
	for i, p := range []pv{
		{"outer.inner", "value", false}, {"name", "{a,b,c}", false}, {"name", `value1\,value2`, false},
		{"merge.at.specific.path", "true", false}, {"merge.at.specific.path", `"true"`, false},
		{"merge.at[2]", "value", false}, {`nodeSelector.kubernetes\.io/role`, "master", false},
		{"name", "a,b,c", true}, {"name", "{a,b,c}", true}, {"name", "foo=bar=baz", true},
		{"config", "endpoints: [a, b, c]", true}, {"subnet_ids", `["a","b","c"]`, true}, {"feature.enabled", "true", true},
		{"name", `back\slash`, true}, {`a\.b.c`, "x", true},
	} {
		add(vcase{Name: fmt.Sprintf("replace path %d %s=%s literal=%v", i, p.path, p.value, p.literal), Kind: "compose",
			Objects: []object{sec("v", map[string]string{"v": p.value})},
			Refs:    []ref{{Kind: "Secret", Name: "v", ValuesKey: "v", TargetPath: p.path, Literal: p.literal}}})
	}
	// merge_test.go
	flat := `{"foo":"bar","baz":"stuff"}`
	nested := `{"foo":"bar","baz":{"cool":"stuff"}}`
	add(vcase{Name: "merge flat nested", Kind: "merge", A: raw(flat), B: raw(nested)})
	add(vcase{Name: "merge nested flat", Kind: "merge", A: raw(nested), B: raw(flat)})
	add(vcase{Name: "merge nested nested", Kind: "merge", A: raw(nested), B: raw(`{"foo":"bar","baz":{"cool":"things","awesome":"stuff"}}`)})
	add(vcase{Name: "merge disjoint", Kind: "merge", A: raw(`{"testing":"fun"}`), B: raw(nested)})
	add(vcase{Name: "merge null kept", Kind: "merge", A: raw(nested), B: raw(`{"baz":null}`)})
	add(vcase{Name: "merge lists replaced", Kind: "merge", A: raw(`{"l":[1,2,3]}`), B: raw(`{"l":[4]}`)})
	// digest_test.go
	add(vcase{Name: "digest empty", Kind: "digest", Values: raw(`{}`)})
	add(vcase{Name: "digest nil", Kind: "digest"})
	add(vcase{Name: "digest values", Kind: "digest", Values: raw(`{"replicas":3,"image":{"tag":"latest","repository":"nginx"},"ports":[{"protocol":"TCP","port":8080},{"port":9090,"protocol":"UDP"}]}`)})
	add(vcase{Name: "digest floats", Kind: "digest", Values: raw(`{"big":1000000,"small":0.00001,"x":123456,"a10":1,"a9":2,"B":"yes","s":"a: b"}`)})
	return cs
}

// Helm pkg/strvals parser_test.go style cases (a selection of its rules).
func strvalsCases() []vcase {
	typed := []string{
		"name1=value1", "name1=value1,name2=value2", "name1=value1,name2=value2,", "name1=,name2=value2",
		"name1=one\\,two,name2=three\\,four", "name1=one\\=two,name2=three\\=four", "name1=one two three,name2=three two one",
		"outer.inner=value", "outer.middle.inner=value", "outer.inner1=value,outer.inner2=value2",
		"name1.name2=", "name1.name2=1.name3", "name1=value,name1=value2", "name1", "name1=value,,,,name2=value2,",
		"name1=value,name2", "name1,name2=", "name1.=name2", "a=1,b=0,c=007,d=-5,e=+7,f=1.5,g=1e3,h=0x10,i=TRUE,j=False,k=NULL,l=",
		"big=9223372036854775807", "bigger=9223372036854775808", "neg=-9223372036854775808",
		"list[0]=foo", "list[0].foo=bar", "list[0].foo=bar,list[0].hello=world", "list[0].foo=bar,list[1].foo=bar",
		"list[3]=bar", "list[0]=bar,list[1]=foo", "nested[0][0]=1", "nested[1][1]=1", "nested[0][0]=1,nested[0][1]=2",
		"list[0]=foo,list[1]=bar,list[0]=baz", "list[-1]=x", "list[65537]=x", "list[1000000000]=x",
		"list[x]=y", "list[0", "list[0]x=1", "list[0]", "list[0].", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.ab.ac.ad=1",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.ab.ac.ad.ae=1",
		"name={a,b,c}", "name={a,b,c},other=x", "name={}", "name={a,b", "name={1,true,null}", "name={a,b}c",
		"list[0]={a,b}", "list[0].x={a}", `a\.b=c`, `a\=b=c`, `a\\b=c`, `a=b\`, `a=\,`, "a.b=1,a.b.c=2", "a=1,a.b=2",
		"a.b=1,a[0]=2", "a=null,a.b=1", "a[0]=1,a[0].b=2", "a[0]=1,a[0][0]=2", "a[0].b=1,a[0][0]=2",
		"=value", "a.=x", ".a=b", "a..b=c", "a[0]=x,a[2]=z", "ü.ö=ä", "a= spaced ", "a=x=y",
	}
	var cs []vcase
	for i, s := range typed {
		cs = append(cs, vcase{Name: fmt.Sprintf("typed %d %s", i, s), Kind: "strvals", Set: s})
		cs = append(cs, vcase{Name: fmt.Sprintf("string %d %s", i, s), Kind: "strvals", Set: s, String: true})
	}
	dests := []struct{ set, dest string }{
		{"a.b=x", `{"a":{"c":1}}`}, {"a[1]=x", `{"a":["p","q","r"]}`}, {"a[5]=x", `{"a":["p"]}`},
		{"a[0].b=x", `{"a":["p"]}`}, {"a[0].b=x", `{"a":[{"c":1}]}`}, {"a[0][1]=x", `{"a":[["p"]]}`},
		{"a[0][1]=x", `{"a":[null]}`}, {"a[0][1]=x", `{"a":["s"]}`}, {"a.b=x", `{"a":"s"}`}, {"a[0]=x", `{"a":{"b":1}}`},
		{"a.b=x", `{"a":null}`}, {"a.b=x", `{"a":[1]}`}, {"a=x", `{"a":{"b":1}}`},
	}
	for i, d := range dests {
		cs = append(cs, vcase{Name: fmt.Sprintf("dest %d %s into %s", i, d.set, d.dest), Kind: "strvals", Set: d.set, Dest: raw(d.dest)})
	}
	return cs
}

// generatedCases: seeded random compositions.
func generatedCases(n int) []vcase {
	r := &rng{s: 20260422}
	keys := []string{"a", "b", "c", "l", "x"}
	scalars := []string{"1", "v", "true", "null", "007", `"q"`, "'s'", "-3", "", "1.5", "x,y", "{p,q}", `e\,f`, "yes", "{}"}
	yamls := []string{"a: {b: 1}\n", "a: {c: 2}\n", "a: {l: [1, 2]}\n", "a: 1\n", "b: {c: x}\n", "a: {b: {c: deep}}\n",
		"l: [x, y, z]\n", "a: null\n", "a: {}\n", "yes: no\n", "x: [{k: v}]\n", "a:\n  b: [p, q]\n", "invalid", "- l\n", ""}
	inlines := []string{``, `{}`, `{"a":{"b":"inline"}}`, `{"a":{"l":["i0","i1"]}}`, `{"a":1}`, `{"b":{"c":"in"}}`,
		`{"a":{"b":{"c":"in"}},"l":["z"]}`, `{"x":[{"k":"in"}]}`, `{"a":{"b":null}}`, `{"l":[]}`, `[1]`}
	var cs []vcase
	for i := 0; i < n; i++ {
		c := vcase{Name: fmt.Sprintf("generated %03d", i), Kind: "compose"}
		if in := r.pick(inlines); in != "" {
			c.Inline = raw(in)
		}
		nrefs := 1 + r.n(4)
		for j := 0; j < nrefs; j++ {
			name := fmt.Sprintf("o%d", j)
			kind := "ConfigMap"
			if r.n(2) == 0 {
				kind = "Secret"
			}
			rf := ref{Kind: kind, Name: name, Optional: r.n(5) == 0}
			data := map[string]string{}
			switch r.n(3) {
			case 0: // YAML values
				data["values.yaml"] = r.pick(yamls)
			default: // targetPath
				depth := 1 + r.n(3)
				var parts []string
				for d := 0; d < depth; d++ {
					p := r.pick(keys)
					if r.n(4) == 0 {
						p += fmt.Sprintf("[%d]", r.n(4))
					}
					if r.n(12) == 0 {
						p = `k\.dot`
					}
					parts = append(parts, p)
				}
				rf.TargetPath = strings.Join(parts, ".")
				rf.ValuesKey = "v"
				rf.Literal = r.n(5) == 0
				data["v"] = r.pick(scalars)
			}
			switch r.n(10) {
			case 0: // object missing
			case 1: // key missing
				c.Objects = append(c.Objects, object{Kind: kind, Name: name, Data: map[string]string{"other": "z"}})
				if kind == "Secret" {
					c.Objects[len(c.Objects)-1] = sec(name, map[string]string{"other": "z"})
				}
			default:
				if kind == "Secret" {
					c.Objects = append(c.Objects, sec(name, data))
				} else {
					c.Objects = append(c.Objects, cm(name, data))
				}
			}
			c.Refs = append(c.Refs, rf)
		}
		cs = append(cs, c)
	}
	return cs
}

func writeInput(dir, name, desc string, cases []vcase) error {
	b, err := json.MarshalIndent(map[string]any{"description": desc, "cases": cases}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".input.json"), append(b, '\n'), 0o644)
}

func gen(dir string) error {
	if err := writeInput(dir, "upstream", "chartutil values_test.go (TestChartValuesFromReferences, TestReplacePathValue, TestReplacePathLiteralValue), merge_test.go and digest_test.go cases", upstreamCases()); err != nil {
		return err
	}
	if err := writeInput(dir, "strvals", "Helm pkg/strvals ParseInto / ParseIntoString: the rules of parser_test.go, typed and string, and writes into existing values", strvalsCases()); err != nil {
		return err
	}
	return writeInput(dir, "generated", "seeded random compositions: targetPath aliasing, lists, escapes, typed vs string, optional/missing", generatedCases(240))
}
