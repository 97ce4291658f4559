package main

import (
	"fmt"
	"strings"
)

const appNS = "apps"

// cmRes is a ConfigMap resource; body is its YAML after the metadata (e.g.
// "data:\n  v: ${V}\n").
func cmRes(name, body string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n%s", name, appNS, body)
}

// cmResMeta is a ConfigMap resource with extra metadata lines (indented by 2).
func cmResMeta(name, meta, body string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n%s%s", name, appNS, meta, body)
}

func dataLine(key, value string) string { return "data:\n  " + key + ": " + value + "\n" }

type gen struct {
	out []any
}

func (g *gen) add(c postBuildCase) { g.out = append(g.out, c) }

// inline is the most common case shape: inline variables only.
func (g *gen) inline(name, desc string, vars kv, res string, strict bool) {
	g.add(postBuildCase{Name: name, Description: desc, Kustomization: kustomization(fluxNS, &pb{Substitute: vars}), Resources: res, Strict: strict})
}

func modeName(strict bool) string {
	if strict {
		return "strict"
	}
	return "lenient"
}

var operatorTemplates = []string{
	"${V}", "${V^}", "${V^^}", "${V,}", "${V,,}", "${#V}", "${V:1}", "${V:1:2}", "${V:-2}", "${V: -2}",
	"${V#a}", "${V##*b}", "${V%C}", "${V%%B*}", "${V/b/X}", "${V//b/X}", "${V/#a/X}", "${V/%C/X}", "${V/b}",
	"${V=d}", "${V:=d}", "${V-d}", "${V:-d}", "${V+d}", "${V:+d}", "${V?d}", "${V:?d}", "${V:=${W}}", "${V:=${W:=dw}}",
	"x${V}y", "$${V}", "$V", "${V}${V}",
}

func (g *gen) operators() {
	for i, op := range operatorTemplates {
		res := cmRes("op", "data:\n  v: "+quote(op)+"\n  w: "+quote("pre "+op+" post")+"\n")
		states := []struct {
			name   string
			vars   kv
			strict bool
		}{
			{"set/lenient", kv{{"V", "abcABC"}, {"W", "w"}}, false},
			{"set/strict", kv{{"V", "abcABC"}, {"W", "w"}}, true},
			{"empty/strict", kv{{"V", ""}, {"W", "w"}}, true},
			{"unset/lenient", kv{{"W", "w"}}, false},
			{"unset/strict", kv{{"W", "w"}}, true},
		}
		for _, st := range states {
			if st.name == "set/strict" && i%3 != 0 {
				continue
			}
			g.inline(fmt.Sprintf("operator/%02d %s/%s", i, op, st.name), "", st.vars, res, st.strict)
		}
	}
}

func (g *gen) strictRules() {
	vars := kv{{"set", "value"}}
	cases := []struct{ name, body string }{
		{"unset", "data:\n  v: ${missing}\n"},
		{"unset-embedded", "data:\n  v: prefix-${missing}-suffix\n"},
		{"default-assign", "data:\n  v: ${missing:=dflt}\n"},
		{"default-use", "data:\n  v: ${missing:-dflt}\n"},
		{"default-no-colon", "data:\n  v: ${missing=dflt}\n"},
		{"alternate", "data:\n  v: \"${missing:+alt}\"\n"},
		{"length", "data:\n  v: \"${#missing}\"\n"},
		{"two-unset-text-order", "data:\n  b: ${second}\n  a: ${first}\n"},
		{"unset-in-key", "data:\n  ${missingkey}: v\n"},
		{"unset-in-comment", "data:\n  # ${missing}\n  v: ${set}\n"},
		{"unset-in-block", "data:\n  script: |\n    echo ${missing}\n"},
		{"escaped", "data:\n  v: $${missing}\n"},
		{"bare-dollar-name", "data:\n  v: $missing\n"},
		{"set-only", "data:\n  v: ${set}\n"},
		{"nested-default-unset", "data:\n  v: ${missing:=${alsomissing}}\n"},
		{"nested-default-set", "data:\n  v: ${missing:=${set}}\n"},
	}
	for _, c := range cases {
		for _, strict := range []bool{false, true} {
			g.inline("strict/"+c.name+"/"+modeName(strict), "", vars, cmRes("s", c.body), strict)
		}
	}
}

func (g *gen) parseErrors() {
	vars := kv{{"V", "value"}}
	bad := []string{"${V", "${V:=x", "${", "${}", "${V:}", "${V:x}", "${V!}", "${V/}", "${V^^^}", "${V:1:2:3}", "${ V}", "${V }", "${V-}", "${1}", "${é}", "${V:=${W}", "$${V", "}${V}{", "${V:=a}b}"}
	for i, b := range bad {
		for _, strict := range []bool{false, true} {
			g.inline(fmt.Sprintf("parse/%02d %s/%s", i, b, modeName(strict)), "", vars, cmRes("p", "data:\n  v: "+quote(b)+"\n"), strict)
		}
	}
	// A disabled resource is never parsed.
	g.inline("parse/disabled-not-parsed", "", vars, cmResMeta("p", "  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n", "data:\n  v: \"${V\"\n"), true)
}

func (g *gen) disable() {
	vars := kv{{"V", "value"}}
	body := "data:\n  v: ${V}\n  u: ${unset}\n"
	const key = "kustomize.toolkit.fluxcd.io/substitute"
	variants := []struct{ name, meta string }{
		{"label", "  labels:\n    " + key + ": disabled\n"},
		{"annotation", "  annotations:\n    " + key + ": disabled\n"},
		{"label-quoted", "  labels:\n    " + key + ": \"disabled\"\n"},
		{"both", "  labels:\n    " + key + ": disabled\n  annotations:\n    " + key + ": disabled\n"},
		{"label-enabled-annotation-disabled", "  labels:\n    " + key + ": enabled\n  annotations:\n    " + key + ": disabled\n"},
		{"label-Disabled", "  labels:\n    " + key + ": Disabled\n"},
		{"annotation-DISABLED", "  annotations:\n    " + key + ": DISABLED\n"},
		{"label-trailing-space", "  labels:\n    " + key + ": \"disabled \"\n"},
		{"annotation-leading-space", "  annotations:\n    " + key + ": \" disabled\"\n"},
		{"annotation-newline", "  annotations:\n    " + key + ": \"disabled\\n\"\n"},
		{"annotation-false", "  annotations:\n    " + key + ": \"false\"\n"},
		{"annotation-true", "  annotations:\n    " + key + ": \"true\"\n"},
		{"annotation-enabled", "  annotations:\n    " + key + ": enabled\n"},
		{"annotation-empty", "  annotations:\n    " + key + ": \"\"\n"},
		{"annotation-disable", "  annotations:\n    " + key + ": disable\n"},
		{"key-misspelled", "  annotations:\n    kustomize.toolkit.fluxcd.io/substitution: disabled\n"},
		{"key-other-group", "  annotations:\n    fluxcd.io/substitute: disabled\n"},
		{"key-upper", "  annotations:\n    Kustomize.toolkit.fluxcd.io/substitute: disabled\n"},
		{"label-value-placeholder", "  labels:\n    " + key + ": ${mode}\n"},
	}
	for _, v := range variants {
		for _, strict := range []bool{false, true} {
			vs := vars
			if v.name == "label-value-placeholder" {
				vs = kv{{"V", "value"}, {"mode", "disabled"}}
			}
			g.inline("disable/"+v.name+"/"+modeName(strict), "", vs, cmResMeta("d", v.meta, body), strict)
		}
	}
	// The label on a pod template is not the resource's label.
	g.inline("disable/pod-template-label", "", vars, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: apps
spec:
  template:
    metadata:
      labels:
        kustomize.toolkit.fluxcd.io/substitute: disabled
    spec:
      containers:
      - name: c
        image: ${V}
`, false)
	// Disabled wins over errors that would come later.
	g.add(postBuildCase{Name: "disable/before-missing-configmap", Kustomization: kustomization(fluxNS, &pb{From: []ref{{"ConfigMap", "missing", false}}}),
		Resources: cmResMeta("d", variants[0].meta, body)})
	g.add(postBuildCase{Name: "disable/before-invalid-name", Kustomization: kustomization(fluxNS, &pb{Substitute: kv{{"my-var", "x"}}}),
		Resources: cmResMeta("d", variants[1].meta, body)})
	g.add(postBuildCase{Name: "disable/no-postbuild", Description: "without spec.postBuild the controller never calls SubstituteVariables",
		Kustomization: kustomization(fluxNS, nil), Resources: cmResMeta("d", variants[0].meta, body)})
	g.add(postBuildCase{Name: "disable/mixed-resources", Kustomization: kustomization(fluxNS, &pb{Substitute: vars}), Strict: true,
		Resources: docs(cmResMeta("d1", variants[0].meta, body), cmRes("d2", "data:\n  v: ${V}\n"), cmResMeta("d3", variants[5].meta, "data:\n  v: ${V}\n"))})
}

func (g *gen) sources() {
	body := "data:\n  x: ${x}\n  y: ${y:=dy}\n  z: ${z}\n"
	res := cmRes("from", body)
	cmA := configMap(fluxNS, "a", kv{{"x", "from-a"}, {"z", "za"}})
	cmB := configMap(fluxNS, "b", kv{{"x", "from-b"}})
	secA := secret(fluxNS, "a", kv{{"x", "from-secret-a"}}, nil)
	secS := secret(fluxNS, "s", nil, kv{{"x", "from-secret-s"}, {"y", "sy"}})
	type c struct {
		name    string
		p       *pb
		cluster string
		strict  bool
	}
	cases := []c{
		{"order/a-then-b", &pb{From: []ref{{"ConfigMap", "a", false}, {"ConfigMap", "b", false}}}, docs(cmA, cmB), false},
		{"order/b-then-a", &pb{From: []ref{{"ConfigMap", "b", false}, {"ConfigMap", "a", false}}}, docs(cmA, cmB), false},
		{"order/configmap-then-secret-same-name", &pb{From: []ref{{"ConfigMap", "a", false}, {"Secret", "a", false}}}, docs(cmA, secA), false},
		{"order/secret-then-configmap", &pb{From: []ref{{"Secret", "a", false}, {"ConfigMap", "a", false}}}, docs(cmA, secA), false},
		{"order/listed-twice", &pb{From: []ref{{"ConfigMap", "a", false}, {"ConfigMap", "b", false}, {"ConfigMap", "a", false}}}, docs(cmA, cmB), false},
		{"inline-wins/over-configmap", &pb{Substitute: kv{{"x", "inline"}}, From: []ref{{"ConfigMap", "a", false}}}, cmA, false},
		{"inline-wins/over-secret", &pb{Substitute: kv{{"x", "inline"}, {"y", "inline-y"}}, From: []ref{{"Secret", "s", false}}}, secS, false},
		{"optional/missing-skipped", &pb{Substitute: kv{{"z", "iz"}}, From: []ref{{"ConfigMap", "nope", true}, {"ConfigMap", "a", false}}}, cmA, false},
		{"optional/missing-secret-skipped", &pb{From: []ref{{"Secret", "nope", true}, {"ConfigMap", "b", false}}}, cmB, false},
		{"optional/present-used", &pb{From: []ref{{"ConfigMap", "a", true}, {"Secret", "s", true}}}, docs(cmA, secS), false},
		{"optional/missing-no-vars-left", &pb{From: []ref{{"ConfigMap", "nope", true}}}, "", false},
		{"optional/missing-no-vars-left-always", &pb{Strategy: "Always", From: []ref{{"ConfigMap", "nope", true}}}, "", false},
		{"optional/missing-no-vars-left-strict", &pb{From: []ref{{"ConfigMap", "nope", true}}}, "", true},
		{"required/missing-configmap", &pb{Substitute: kv{{"x", "i"}}, From: []ref{{"ConfigMap", "nope", false}}}, cmA, false},
		{"required/missing-secret", &pb{From: []ref{{"ConfigMap", "a", false}, {"Secret", "nope", false}}}, cmA, false},
		{"required/missing-after-optional-missing", &pb{From: []ref{{"ConfigMap", "opt", true}, {"Secret", "req", false}}}, "", true},
		{"required/secret-name-is-a-configmap", &pb{From: []ref{{"Secret", "b", false}}}, cmB, false},
		{"namespace/other-namespace-required", &pb{From: []ref{{"ConfigMap", "a", false}}}, configMap("default", "a", kv{{"x", "other-ns"}}), false},
		{"namespace/other-namespace-optional", &pb{Substitute: kv{{"y", "iy"}}, From: []ref{{"ConfigMap", "a", true}}}, configMap("default", "a", kv{{"x", "other-ns"}}), false},
		{"namespace/both-namespaces", &pb{From: []ref{{"ConfigMap", "a", false}}}, docs(configMap("default", "a", kv{{"x", "other-ns"}}), cmA), false},
		{"kind/lowercase-ignored", &pb{From: []ref{{"configmap", "a", false}}}, cmA, false},
		{"kind/unknown-ignored", &pb{Substitute: kv{{"y", "iy"}}, From: []ref{{"Foo", "a", false}}}, cmA, false},
		{"configmap/empty-data", &pb{From: []ref{{"ConfigMap", "empty", false}}}, configMap(fluxNS, "empty", nil), false},
		{"configmap/binary-data-ignored", &pb{From: []ref{{"ConfigMap", "bin", false}}}, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\n  namespace: flux-system\nbinaryData:\n  x: aGVsbG8=\ndata:\n  z: zz\n", false},
		{"configmap/value-with-placeholder", &pb{From: []ref{{"ConfigMap", "ph", false}}}, configMap(fluxNS, "ph", kv{{"x", "${z}"}, {"z", "zz"}, {"y", "$${x}"}}), false},
		{"configmap/value-with-placeholder-strict", &pb{From: []ref{{"ConfigMap", "ph", false}}}, configMap(fluxNS, "ph", kv{{"x", "${unset}"}, {"z", "zz"}}), true},
		{"secret/data", &pb{From: []ref{{"Secret", "a", false}}}, secA, false},
		{"secret/stringdata", &pb{From: []ref{{"Secret", "s", false}}}, secS, false},
		{"secret/stringdata-over-data", &pb{From: []ref{{"Secret", "m", false}}}, secret(fluxNS, "m", kv{{"x", "from-data"}, {"z", "data-z"}}, kv{{"x", "from-stringdata"}}), false},
		{"secret/data-trailing-newline", &pb{From: []ref{{"Secret", "sec", false}}}, secret(fluxNS, "sec", kv{{"x", "echoed\n"}, {"z", "multi\nline\nvalue"}}, nil), false},
		{"secret/data-crlf", &pb{From: []ref{{"Secret", "sec", false}}}, secret(fluxNS, "sec", kv{{"x", "windows\r\n"}, {"z", "a\rb"}}, nil), false},
		{"secret/data-non-utf8", &pb{From: []ref{{"Secret", "sec", false}}}, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n  namespace: flux-system\ndata:\n  x: /w==\n  z: woA=\n", false},
		{"secret/data-unicode", &pb{From: []ref{{"Secret", "sec", false}}}, secret(fluxNS, "sec", kv{{"x", "héllo wörld"}, {"z", "😀"}}, nil), false},
		{"secret/name-n-reads-as-bool", &pb{From: []ref{{"Secret", "n", false}}}, secret(fluxNS, "n", kv{{"x", "x"}}, nil), false},
		{"secret/invalid-base64", &pb{From: []ref{{"Secret", "sec", false}}}, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n  namespace: flux-system\ndata:\n  x: not-base64!\n", false},
		{"newline/inline", &pb{Substitute: kv{{"x", "a\nb\n"}, {"y", "\n\nlead"}, {"z", "\n"}}}, "", true},
		{"newline/configmap", &pb{From: []ref{{"ConfigMap", "nl", false}}}, configMap(fluxNS, "nl", kv{{"x", "line1\nline2\n"}, {"z", "\r\n"}}), false},
		{"newline/cr-kept-inline", &pb{Substitute: kv{{"x", "a\rb"}, {"y", "c\r\nd"}, {"z", "trail\r"}}}, "", false},
		{"empty/inline-strict", &pb{Substitute: kv{{"x", ""}, {"y", ""}, {"z", ""}}}, "", true},
		{"empty/configmap-strict", &pb{From: []ref{{"ConfigMap", "e", false}}}, configMap(fluxNS, "e", kv{{"x", ""}, {"z", ""}}), true},
		{"empty/secret-strict", &pb{From: []ref{{"Secret", "e", false}}}, secret(fluxNS, "e", kv{{"x", ""}}, kv{{"z", ""}}), true},
		{"empty/only-empty-vars-run", &pb{Substitute: kv{{"unused", ""}}}, "", false},
		{"empty/newline-only-becomes-empty", &pb{Substitute: kv{{"x", "\n"}, {"z", "\n\n"}}}, "", true},
	}
	for _, c := range cases {
		g.add(postBuildCase{Name: "from/" + c.name, Kustomization: kustomization(fluxNS, c.p), Cluster: c.cluster, Resources: res, Strict: c.strict})
	}
	// dry-run: substituteFrom is not read at all.
	dry := []c{
		{"dry-run/required-missing-not-read", &pb{Substitute: kv{{"x", "inline"}}, From: []ref{{"ConfigMap", "nope", false}}}, "", false},
		{"dry-run/present-not-read", &pb{Substitute: kv{{"z", "inline-z"}}, From: []ref{{"ConfigMap", "a", false}}}, cmA, false},
		{"dry-run/present-not-read-strict", &pb{Substitute: kv{{"z", "inline-z"}}, From: []ref{{"ConfigMap", "a", false}}}, cmA, true},
		{"dry-run/no-inline", &pb{From: []ref{{"ConfigMap", "a", false}}}, cmA, false},
		{"dry-run/no-inline-always", &pb{Strategy: "Always", From: []ref{{"ConfigMap", "a", false}}}, cmA, false},
		{"dry-run/invalid-name-in-configmap-not-read", &pb{Substitute: kv{{"x", "i"}}, From: []ref{{"ConfigMap", "bad", false}}}, configMap(fluxNS, "bad", kv{{"my-var", "v"}}), false},
	}
	for _, c := range dry {
		g.add(postBuildCase{Name: c.name, Kustomization: kustomization(fluxNS, c.p), Cluster: c.cluster, Resources: res, Strict: c.strict, DryRun: true})
	}
	g.add(postBuildCase{Name: "dry-run/same-without-dry-run", Kustomization: kustomization(fluxNS, &pb{Substitute: kv{{"z", "inline-z"}}, From: []ref{{"ConfigMap", "a", false}}}), Cluster: cmA, Resources: res})
}

func (g *gen) invalidNames() {
	res := cmRes("n", "data:\n  v: ${ok}\n")
	type c struct {
		name    string
		p       *pb
		cluster string
	}
	cases := []c{
		{"inline/dash", &pb{Substitute: kv{{"ok", "1"}, {"my-var", "x"}}}, ""},
		{"inline/dot", &pb{Substitute: kv{{"ok", "1"}, {"app.properties", "x"}}}, ""},
		{"inline/leading-digit", &pb{Substitute: kv{{"1abc", "x"}}}, ""},
		{"inline/unicode-letter", &pb{Substitute: kv{{"é", "x"}}}, ""},
		{"inline/unicode-inner", &pb{Substitute: kv{{"caf_é", "x"}}}, ""},
		{"inline/space", &pb{Substitute: kv{{"a b", "x"}}}, ""},
		{"inline/empty-name", &pb{Substitute: kv{{"", "x"}}}, ""},
		{"inline/several", &pb{Substitute: kv{{"z-last", "x"}, {"a.first", "x"}, {"9nine", "x"}, {"ok", "1"}, {"é", "x"}, {"M-mid", "x"}}}, ""},
		{"inline/valid-edge-names", &pb{Substitute: kv{{"_", "u"}, {"__", "uu"}, {"_1", "one"}, {"A1", "a1"}, {"ok", "1"}, {"ALLCAPS", "c"}}}, ""},
		{"configmap/dash-and-dot", &pb{From: []ref{{"ConfigMap", "bad", false}}}, configMap(fluxNS, "bad", kv{{"ok", "1"}, {"my-var", "x"}, {"app.properties", "y"}, {"1abc", "z"}})},
		{"configmap/leading-dash", &pb{From: []ref{{"ConfigMap", "bad", false}}}, configMap(fluxNS, "bad", kv{{"-x", "x"}, {".x", "y"}})},
		{"secret/dash", &pb{From: []ref{{"Secret", "bad", false}}}, secret(fluxNS, "bad", kv{{"tls.crt", "x"}}, kv{{"my-var", "y"}})},
		{"mixed/sources", &pb{Substitute: kv{{"in-line", "x"}}, From: []ref{{"ConfigMap", "bad", false}, {"Secret", "bad", false}}}, docs(configMap(fluxNS, "bad", kv{{"cm.key", "x"}}), secret(fluxNS, "bad", kv{{"1sec", "x"}}, nil))},
		{"optional-missing-only-valid", &pb{Substitute: kv{{"ok", "1"}}, From: []ref{{"ConfigMap", "bad", true}}}, ""},
		{"always-no-placeholders", &pb{Strategy: "Always", Substitute: kv{{"my-var", "x"}}}, ""},
	}
	for _, c := range cases {
		g.add(postBuildCase{Name: "invalid-name/" + c.name, Kustomization: kustomization(fluxNS, c.p), Cluster: c.cluster, Resources: res})
		if strings.HasPrefix(c.name, "inline/several") {
			g.add(postBuildCase{Name: "invalid-name/" + c.name + "/strict", Kustomization: kustomization(fluxNS, c.p), Cluster: c.cluster, Resources: res, Strict: true})
		}
	}
	// An invalid name fails every resource, even one without placeholders.
	g.add(postBuildCase{Name: "invalid-name/every-resource", Kustomization: kustomization(fluxNS, &pb{Substitute: kv{{"bad-name", "x"}}}),
		Resources: docs(cmRes("plain", "data:\n  v: text\n"), cmResMeta("off", "  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n", "data:\n  v: text\n"))})
}

func (g *gen) strategy() {
	body := "data:\n  a: ${a:=default a}\n  b: \"${b:-dflt}\"\n  c: ${c}\n"
	res := cmRes("st", body)
	type c struct {
		name   string
		p      *pb
		strict bool
	}
	cases := []c{
		{"none", nil, false},
		{"empty-postbuild", &pb{}, false},
		{"empty-postbuild-strict", &pb{}, true},
		{"empty-substitute", &pb{EmptySubstitute: true}, false},
		{"with-variables-explicit", &pb{Strategy: "WithVariables"}, false},
		{"always", &pb{Strategy: "Always"}, false},
		{"always-strict", &pb{Strategy: "Always"}, true},
		{"always-empty-substitute", &pb{Strategy: "Always", EmptySubstitute: true}, false},
		{"always-with-vars", &pb{Strategy: "Always", Substitute: kv{{"c", "cc"}}}, true},
		{"with-variables-with-vars", &pb{Strategy: "WithVariables", Substitute: kv{{"c", "cc"}}}, true},
		{"lowercase-always", &pb{Strategy: "always"}, false},
		{"unknown-strategy", &pb{Strategy: "Never", Substitute: kv{{"c", "cc"}}}, false},
	}
	for _, c := range cases {
		g.add(postBuildCase{Name: "strategy/" + c.name, Kustomization: kustomization(fluxNS, c.p), Resources: res, Strict: c.strict})
	}
	// Resources that would fail in envsubst pass untouched when it does not run.
	g.add(postBuildCase{Name: "strategy/skipped-keeps-bad-syntax", Kustomization: kustomization(fluxNS, &pb{}), Resources: cmRes("st", "data:\n  v: \"${broken\"\n"), Strict: true})
	g.add(postBuildCase{Name: "strategy/always-bad-syntax", Kustomization: kustomization(fluxNS, &pb{Strategy: "Always"}), Resources: cmRes("st", "data:\n  v: \"${broken\"\n")})
}

// typingValues are variable values whose YAML reading after substitution is
// of interest.
var typingValues = []string{
	"123", "-1", "0", "007", "0755", "0o755", "0x1F", "1_000", "+1", ".5", "1e3", "1.0", "1.5", "-0", ".inf", "-.Inf", ".nan",
	"9007199254740993", "9223372036854775807", "9223372036854775808", "18446744073709551616", "123456789012345678901234567890",
	"true", "false", "True", "yes", "no", "on", "off", "y", "n", "~", "null", "", " ", "2001-12-14", "1:20",
	"!!str 123", "!!str true", "!!int 12", "!!binary aGk=", "!custom", "'quoted'", "\"dq\"", "'", "\"", "it's", "say \"hi\"",
	": x", "a: b", "a:b", "key:", "#x", "a #x", "a#x", "{", "}", "[", "]", "{a: 1}", "[1, 2]", "*alias", "&anchor",
	"&a x", "|", ">", "- x", "-", "? x", "?", "%", "@x", "`x", ",", "a,b", "---", "...", "\\", "\\n", "a\tb", "\t",
	"é", "😀", "a\rb", "trail ", " lead", "$", "$$", "${x}", "$${x}", "<<", "=", "a  b",
	strings.Repeat("long value ", 10),
}

// typingPositions places ${v} so that the emitted YAML holds it in different
// styles: plain, inside a plain string, single-quoted, double-quoted, literal
// block, list item, key, the quote trick and a flow-looking plain string.
var typingPositions = []struct{ name, body string }{
	{"plain", "data:\n  k: ${v}\n"},
	{"embedded", "data:\n  k: a ${v} b\n"},
	{"single-quoted", "data:\n  k: \"@${v}\"\n"},
	{"double-quoted", "data:\n  k: \"\\t${v}\"\n"},
	{"literal-block", "data:\n  k: |\n    first\n    ${v}\n"},
	{"list-item", "spec:\n  l:\n  - ${v}\n"},
	{"key", "spec:\n  ${v}: x\n"},
	{"quote-trick", "data:\n  k: ${q}${v}${q}\n"},
	{"replicas", "spec:\n  replicas: ${v}\n"},
}

func (g *gen) typing() {
	for i, v := range typingValues {
		var rs []string
		for _, p := range typingPositions {
			rs = append(rs, cmRes("t-"+p.name, p.body))
		}
		g.inline(fmt.Sprintf("typing/%02d %s", i, quote(v)), "", kv{{"v", v}, {"q", "\""}}, docs(rs...), false)
	}
}

func (g *gen) escapes() {
	vars := kv{{"V", "value"}, {"HOME", "/root"}}
	bodies := []struct{ name, body string }{
		{"script", "data:\n  run.sh: |\n    #!/bin/sh\n    export A=${V}\n    echo $${HOME} $$HOME $HOME ${HOME}\n    echo $$ $$$ $$$$ $$${V}\n    echo \"$(date)\" `id` $1 $@ $*\n    test -n \"$${V:-x}\"\n"},
		{"bare-dollar", "data:\n  a: $V\n  b: $\n  c: a$\n  d: $-\n  e: \"$ {V}\"\n"},
		{"double-dollar-plain", "data:\n  a: $${V}\n  b: $$V\n  c: $$\n  d: $$$\n"},
		{"backslash", "data:\n  a: \\${V}\n  b: \"\\\\${V}\"\n"},
		{"braces", "data:\n  a: \"{${V}}\"\n  b: \"}{\"\n  c: \"${V}}\"\n"},
	}
	for _, b := range bodies {
		for _, strict := range []bool{false, true} {
			g.inline("escape/"+b.name+"/"+modeName(strict), "", vars, cmRes("e", b.body), strict)
		}
	}
}

func (g *gen) folding() {
	vars := kv{{"VAR", "substituted"}, {"SP", "a value with spaces"}, {"COLON", "x: y"}, {"LONG", strings.Repeat("v", 90)}}
	var rs []string
	n := 0
	for _, ph := range []string{"${VAR}", "${VAR:=a default with spaces}", "${UNSET:=a default with spaces}", "${SP/ /-}", "${SP// /_}", "${COLON}", "${LONG}", "${SP}"} {
		for _, pre := range []int{60, 68, 70, 72, 74, 76, 78} {
			line := strings.Repeat("ab ", pre/3+1)[:pre]
			line = strings.TrimRight(line, " ") + " " + ph + " and then some more words after it"
			rs = append(rs, cmRes(fmt.Sprintf("f%02d", n), "data:\n  k: "+quote(line)+"\n  deep:\n    nested:\n      list:\n      - "+quote(line)+"\n"))
			n++
		}
	}
	g.inline("fold/placeholders-near-column-80", "", vars, docs(rs...), false)
	g.inline("fold/placeholders-near-column-80/strict", "", vars, docs(rs...), true)
	g.add(postBuildCase{Name: "fold/always-defaults", Kustomization: kustomization(fluxNS, &pb{Strategy: "Always"}), Resources: docs(rs...)})
	// A long value substituted into a short line is not re-folded by envsubst.
	g.inline("fold/long-value", "", vars, cmRes("lv", "data:\n  k: ${LONG} ${SP} ${LONG}\n"), false)
	g.inline("fold/single-quoted-long", "", vars, cmRes("sq", "data:\n  k: "+quote("@"+strings.Repeat("word ", 16)+"${SP/ /-} end")+"\n"), false)
}

func (g *gen) keysAndNames() {
	vars := kv{{"k", "key"}, {"env", "prod"}, {"kind", "Secret"}, {"api", "v1"}, {"num", "1"}, {"empty", ""}, {"ns", "team"}}
	g.inline("keys/placeholders", "", vars, cmRes("k", "data:\n  ${k}: a\n  prefix-${k}: b\n  ${num}: c\n"), false)
	g.inline("keys/collision", "", vars, cmRes("k", "data:\n  ${k}: a\n  key: b\n"), false)
	g.inline("keys/empty-key", "", vars, cmRes("k", "data:\n  ${empty}: a\n"), false)
	g.inline("names/metadata-name", "", vars, cmRes("app-${env}", "data:\n  v: ${env}\n"), false)
	g.inline("names/metadata-namespace", "", vars, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: ${ns}\n", false)
	g.inline("names/kind-and-apiversion", "", vars, "apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: app-${env}\nstringData:\n  a: ${env}\n", false)
	g.inline("names/name-error-uses-raw-name", "", vars, cmRes("app-${env}-${missing}", "data:\n  v: x\n"), true)
	g.inline("names/kind-placeholder-error", "", vars, "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: ${kind}Release\nmetadata:\n  name: hr-${env}\nspec:\n  v: ${missing}\n", true)
	g.inline("names/crd-gvk-in-error", "", vars, "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  chart:\n    spec:\n      version: ${missing}\n", true)
	g.inline("names/missing-apiversion", "kustomize builds it; the controller rejects it before substitution", vars, "kind: ConfigMap\nmetadata:\n  name: app-${env}\n", false)
	g.inline("names/name-becomes-empty", "", vars, cmRes("${empty}", "data:\n  v: x\n"), false)
	g.add(postBuildCase{Name: "kustomization/number-value", Kustomization: strings.Replace(kustomization(fluxNS, &pb{Substitute: kv{{"a", "1"}}}), "\"a\": \"1\"", "a: 1", 1), Resources: cmRes("x", "data:\n  v: ${a}\n")})
	g.add(postBuildCase{Name: "kustomization/bool-value", Kustomization: strings.Replace(kustomization(fluxNS, &pb{Substitute: kv{{"a", "1"}}}), "\"a\": \"1\"", "a: yes", 1), Resources: cmRes("x", "data:\n  v: ${a}\n")})
	g.add(postBuildCase{Name: "kustomization/substitute-null", Kustomization: kustomization(fluxNS, nil) + "  postBuild:\n    substitute:\n", Resources: cmRes("x", "data:\n  v: ${a:=d}\n")})
	g.add(postBuildCase{Name: "kustomization/no-namespace", Kustomization: strings.Replace(kustomization(fluxNS, &pb{From: []ref{{"ConfigMap", "a", false}}}), "  namespace: flux-system\n", "", 1),
		Cluster: configMap(fluxNS, "a", kv{{"a", "x"}}), Resources: cmRes("x", "data:\n  v: ${a}\n")})
}

func (g *gen) multi() {
	vars := kv{{"V", "value"}, {"N", "3"}}
	res := docs(
		cmRes("one", "data:\n  v: ${V}\n"),
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: two\n  namespace: apps\nspec:\n  replicas: ${N}\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:${TAG:=1.25}\n        args: [\"--v=${V}\", \"${N}\"]\n",
		cmResMeta("three", "  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n", "data:\n  v: ${V\n"),
		cmRes("four", "data:\n  v: ${missing}\n"),
		cmRes("five", "data:\n  v: \"${V\"\n"),
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: six\n  namespace: apps\nspec:\n  ports:\n  - port: ${PORT:=80}\n    targetPort: ${N}0\n",
	)
	g.inline("multi/mixed-outcomes", "", vars, res, false)
	g.inline("multi/mixed-outcomes/strict", "", vars, res, true)
	g.add(postBuildCase{Name: "multi/no-postbuild", Kustomization: kustomization(fluxNS, nil), Resources: res})
	g.add(postBuildCase{Name: "multi/empty-stream", Kustomization: kustomization(fluxNS, &pb{Substitute: vars}), Resources: ""})
	g.add(postBuildCase{Name: "multi/list-kind", Kustomization: kustomization(fluxNS, &pb{Substitute: vars}),
		Resources: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    v: ${V}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n  data:\n    v: ${N}\n"})
}

// random cases: variables spread over inline, ConfigMaps and Secrets, and
// resources built from a pool of placeholder shapes.
func (g *gen) random() {
	r := &rng{s: 0x5eed_b0b5_2026}
	names := []string{"app", "env", "region", "tag", "replicas", "port", "domain", "flag", "empty", "team"}
	values := []string{"web", "prod", "eu-west-1", "1.2.3", "3", "8080", "example.com", "true", "", "a b", "yes", "0755", "x: y", "#c", "'", "\"", "${app}", "$$", "a\nb", "é", "1e3", "~", "null", "-", "{x}"}
	shapes := []string{"${N}", "${N:=d}", "${N:-dflt value}", "${N^^}", "${#N}", "${N/a/A}", "${N:1}", "x-${N}-y", "$${N}", "${N}${N}", "\"${N}\"", "'${N}'", "${N%.*}", "${N,,}", "${N:=${M}}"}
	keys := []string{"a", "b", "c", "d", "e"}
	for i := 0; i < 80; i++ {
		p := &pb{}
		var cluster []string
		pickVars := func() kv {
			var out kv
			seen := map[string]bool{}
			for n := r.intn(4); n > 0; n-- {
				k := r.pick(names)
				if seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, [2]string{k, r.pick(values)})
			}
			return out
		}
		if r.chance(70) {
			p.Substitute = pickVars()
		}
		for n := r.intn(3); n > 0; n-- {
			name := fmt.Sprintf("src%d", n)
			optional := r.chance(30)
			present := !optional || r.chance(50)
			if r.chance(50) {
				p.From = append(p.From, ref{"ConfigMap", name, optional})
				if present {
					cluster = append(cluster, configMap(fluxNS, name, pickVars()))
				}
			} else {
				p.From = append(p.From, ref{"Secret", name, optional})
				if present {
					if r.chance(50) {
						cluster = append(cluster, secret(fluxNS, name, pickVars(), nil))
					} else {
						cluster = append(cluster, secret(fluxNS, name, pickVars(), pickVars()))
					}
				}
			}
		}
		if r.chance(15) {
			p.Strategy = "Always"
		}
		var rs []string
		for n := 1 + r.intn(3); n > 0; n-- {
			var b strings.Builder
			b.WriteString("data:\n")
			for _, k := range keys[:1+r.intn(len(keys))] {
				shape := strings.ReplaceAll(r.pick(shapes), "N", r.pick(names))
				shape = strings.ReplaceAll(shape, "M", r.pick(names))
				if strings.HasPrefix(shape, "'") || strings.HasPrefix(shape, "\"") {
					fmt.Fprintf(&b, "  %s: %s\n", k, shape)
				} else {
					fmt.Fprintf(&b, "  %s: %s\n", k, quote(shape))
				}
			}
			meta := ""
			if r.chance(10) {
				meta = "  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n"
			}
			rs = append(rs, cmResMeta(fmt.Sprintf("r%d", n), meta, b.String()))
		}
		var ks *pb
		if !r.chance(5) {
			ks = p
		}
		g.add(postBuildCase{
			Name:          fmt.Sprintf("random/%03d", i),
			Kustomization: kustomization(fluxNS, ks),
			Cluster:       docs(cluster...),
			Resources:     docs(rs...),
			Strict:        r.chance(40),
			DryRun:        r.chance(8),
		})
	}
}

func generatedCases() []any {
	g := &gen{}
	g.operators()
	g.strictRules()
	g.parseErrors()
	g.disable()
	g.sources()
	g.invalidNames()
	g.strategy()
	g.typing()
	g.escapes()
	g.folding()
	g.keysAndNames()
	g.multi()
	g.random()
	return g.out
}
