package main

import (
	"fmt"
	"strings"
)

type sourceCase struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

const thingHead = "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: thing\n"

// scalarSources are written as `spec.v: <text>`.
var scalarSources = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF",
	"true", "false", "True", "TRUE", "False", "FALSE", "tRUE",
	"0", "-0", "+0", "00", "0755", "0o755", "0O755", "0x1F", "0X1F", "0b101", "08", "09", "0.0", "1_000", "1,000", "+1", "-1",
	".5", "-.5", "5.", "1e3", "1E3", "1e+3", "1.0e3", "1.0e+3", "1e-7", "6.8523015e+5", "685.230_15e+03",
	".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "inf", "nan",
	"~", "null", "Null", "NULL", "nULL", "", "1:20", "190:20:30", "1:20.5",
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14T21:59:43Z", "12:30",
	"12345678901234567890", "-9223372036854775809", "9223372036854775807", "9223372036854775808", "18446744073709551616",
	"123456789012345678901234567890", "1e400", "-1e400", "0x_1F", "0b1_01", "1__0",
	`"quoted"`, `'single'`, `"yes"`, `'0755'`, `"123"`, `"1e3"`, `"~"`, `''`, `""`, `"esc\ttab\u00e9\x41"`, `'it''s'`, `"line\nbreak"`,
	"plain with spaces", "trailing spaces   ", "a #comment", "a#nocomment", "${VAR}", "${VAR:=default value}", "$${VAR}",
	"é", "日本語", "😀", "\"\\u2028\"",
	"!!str 123", "!!str yes", "!!str", "!!int \"1\"", "!!int 0x10", "!!float 1", "!!float \"1.5\"", "!!bool yes", "!!bool \"true\"",
	"!!null ''", "!!binary aGVsbG8=", "!custom value", "!custom 123", "!<tag:yaml.org,2002:str> 5", "!!timestamp 2001-12-14",
	"[1, 2, three]", "{a: 1, b: [x, y]}", "[]", "{}", "[yes, no, ~, 0755]", "{? complex : x}",
	"&anchor value", "*undefined",
}

func sourceCases() []any {
	var out []any
	add := func(name, y string) { out = append(out, sourceCase{Name: name, YAML: y}) }
	for i, s := range scalarSources {
		add(fmt.Sprintf("scalar/%03d %s", i, s), thingHead+"spec:\n  v: "+s+"\n")
	}
	blocks := []struct{ name, text string }{
		{"literal", "|\n    a\n    b\n"},
		{"literal-strip", "|-\n    a\n    b\n\n"},
		{"literal-keep", "|+\n    a\n    b\n\n\n"},
		{"literal-indent", "|2\n     lead\n    b\n"},
		{"literal-leading-blank", "|\n\n    a\n"},
		{"literal-trailing-spaces", "|\n    a  \n    b\n"},
		{"literal-tabs", "|\n    \ta\n    b\n"},
		{"literal-placeholders", "|\n    export A=${VAR}\n    echo $${HOME} $HOME\n"},
		{"folded", ">\n    a\n    b\n\n    c\n"},
		{"folded-strip", ">-\n    a\n    b\n"},
		{"folded-keep", ">+\n    a\n    b\n\n"},
		{"folded-more-indented", ">\n    a\n      indented\n    b\n"},
		{"plain-multiline", "first\n    second\n\n    third\n"},
		{"double-multiline", "\"first\n    second \\\n    third\"\n"},
		{"single-multiline", "'first\n    second'\n"},
	}
	for _, b := range blocks {
		add("block/"+b.name, thingHead+"spec:\n  v: "+b.text)
	}
	docs := []struct{ name, text string }{
		{"anchors", thingHead + "spec:\n  a: &x {k: v, n: 1}\n  b: *x\n  c: &s scalar\n  d: *s\n"},
		{"merge-key", thingHead + "spec:\n  base: &b {k: v, n: 1}\n  m:\n    <<: *b\n    n: 2\n"},
		{"merge-list", thingHead + "spec:\n  a: &a {x: 1}\n  b: &b {y: 2}\n  m:\n    <<: [*a, *b]\n    z: 3\n"},
		{"merge-key-quoted", thingHead + "spec:\n  \"<<\": {k: v}\n"},
		{"keys/numbers", thingHead + "spec:\n  1: a\n  1.5: b\n  0x10: c\n  -1: d\n"},
		{"keys/bools", thingHead + "spec:\n  true: a\n  yes: b\n  on: c\n  n: d\n"},
		{"keys/null", thingHead + "spec:\n  null: a\n  ~: b\n"},
		{"keys/empty", thingHead + "spec:\n  \"\": a\n"},
		{"keys/placeholder", thingHead + "spec:\n  ${KEY}: a\n  prefix-${KEY}: b\n"},
		{"comments", "# head\n" + thingHead + "spec: # trailing\n  # inside\n  v: 1 # after\n  w: \"#notcomment\"\n# tail\n"},
		{"flow", "{apiVersion: example.com/v1, kind: Thing, metadata: {name: thing}, spec: {a: [1, 2, {b: c}], d: yes}}\n"},
		{"json", `{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"thing"},"spec":{"n":1.0,"big":12345678901234567890,"s":"yes"}}` + "\n"},
		{"duplicate-keys", thingHead + "spec:\n  a: 1\n  a: 2\n"},
		{"duplicate-top-keys", thingHead + "kind: Other\nspec: {}\n"},
		{"unicode", thingHead + "spec:\n  clé: valeur\n  emoji: 😀\n  \"\\u00e9\": x\n  rtl: שלום\n"},
		{"nested-lists", thingHead + "spec:\n  l:\n  - - a\n    - b\n  - - - c\n  -\n    - d\n"},
		{"list-of-maps", thingHead + "spec:\n  l:\n  - a: 1\n    b: 2\n  - {c: 3}\n"},
		{"null-values", thingHead + "spec:\n  a:\n  b: null\n  c: ~\n  d: []\n  e: {}\n"},
		{"document-markers", "---\n" + thingHead + "spec:\n  v: 1\n...\n"},
		{"directive", "%YAML 1.1\n---\n" + thingHead + "spec:\n  v: yes\n"},
		{"tag-on-map", thingHead + "spec: !!map\n  v: 1\n"},
		{"set", thingHead + "spec: !!set\n  ? a\n  ? b\n"},
		{"omap", thingHead + "spec: !!omap\n  - a: 1\n  - b: 2\n"},
		{"indentation-4", "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n    name: thing\nspec:\n    l:\n        - a\n        - b\n"},
		{"long-string", thingHead + "spec:\n  v: " + strings.Repeat("word ", 30) + "end\n"},
		{"long-string-placeholder", thingHead + "spec:\n  v: " + strings.Repeat("word ", 14) + "${VAR:=a default with spaces} end\n"},
		{"crlf", strings.ReplaceAll(thingHead+"spec:\n  v: a\n  b: |\n    x\n    y\n", "\n", "\r\n")},
		{"bom", "\ufeff" + thingHead + "spec:\n  v: 1\n"},
		{"tabs-in-value", thingHead + "spec:\n  v: a\tb\n"},
		{"configmap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  port: 8080\n  enabled: yes\n  mode: 0755\n  empty:\n"},
		{"secret", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: yes\ndata:\n  b: aGVsbG8=\n"},
		{"namespace", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n"},
		{"name-placeholder", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${ENV}\n  namespace: ${NS:=default}\n"},
		{"kind-placeholder", "apiVersion: ${API:=v1}\nkind: ${KIND}\nmetadata:\n  name: x\n"},
		{"error/missing-kind", "apiVersion: v1\nmetadata:\n  name: x\n"},
		{"error/missing-name", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"},
		{"error/missing-apiversion", "kind: ConfigMap\nmetadata:\n  name: x\n"},
		{"error/list", "- a\n- b\n"},
		{"error/scalar", "just a string\n"},
		{"error/bad-indent", thingHead + "spec:\n  a: 1\n   b: 2\n"},
		{"error/tab-indent", thingHead + "spec:\n\ta: 1\n"},
		{"error/unclosed-quote", thingHead + "spec:\n  a: \"x\n"},
		{"error/undefined-alias", thingHead + "spec:\n  a: *nope\n"},
		{"empty", ""},
		{"comment-only", "# nothing\n"},
		{"kind-list", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n"},
	}
	for _, d := range docs {
		add("doc/"+d.name, d.text)
	}
	return out
}
