package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

type emitCase struct {
	Name string `json:"name"`
	JSON string `json:"json"`
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// scalarStrings are strings whose emitted form (plain, single- or
// double-quoted, literal block) is of interest.
var scalarStrings = []string{
	"", " ", "  ", "plain", "two words", "yes", "Yes", "YES", "no", "No", "on", "On", "off", "OFF", "y", "Y", "n", "N",
	"true", "True", "TRUE", "false", "False", "null", "Null", "NULL", "~", "0", "1", "-1", "+1", "007", "0755", "0o755",
	"0x1F", "0b101", "1_000", "1e3", "1E3", "1.5", ".5", "5.", "-0", ".inf", "-.inf", ".Inf", ".NaN", ".nan", "1:20",
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:45", "=", "<<", " lead", "trail ", " both ",
	"a: b", "a:b", "a :b", "key:", "a #b", "a#b", "#comment", "-", "- x", "-x", "--", "---", "...", "?", "? x", "?x",
	"[", "[x]", "]", "{", "{x}", "}", "*", "*x", "&", "&x", "!", "!x", "!!str", "|", "|x", ">", ">x", "'", "'x'", "\"",
	"\"x\"", "%", "%x", "@", "@x", "`", "`x", ",", ",x", "x,", "a\tb", "\tlead", "trail\t", "\x01", "a\x1fb", "\x7f",
	"\u0085", "\u00a0", "\u00a0lead", "é", "日本語", "😀", "\u2028", "a\u2029b", "\ufeff", "\ufeffbom", "a\x00b", "\\", "\\n",
	"\\u0041", "\\x41", "${VAR}", "${VAR:=a default with spaces}", "$${VAR}", "$VAR", "a: ${VAR}", "${VAR}: x",
	"\u00e9\u0301", "\U0001F1E9\U0001F1EA", "\ufffd", "x\u200by",
}

var multiLineStrings = []string{
	"a\nb", "a\nb\n", "a\nb\n\n", "a\nb\n\n\n", "\n", "\n\n", "\na", "a\n", " lead\nx", "  two\nx\n", "x\n lead",
	"trail \nx", "x\ntrail ", "x \ny \n", "a\r\nb", "a\r\nb\r\n", "a\rb", "\ta\nb", "a\n\tb", "a\n\n\nb", "# not a comment\nx",
	"- item\n- item", "key: v\nk2: v2", "${VAR}\n${VAR:=x y}\n", "line with $${escaped}\nand ${VAR}\n", "a\u2028b\nc",
	"a\x01\nb", "é\n😀\n", "a\n \n b", strings.Repeat("long line with spaces ", 6) + "\nshort",
}

// long strings: lengths around the 80-column folding width.
func longStrings() []string {
	var out []string
	words := func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "w%02d", i%100)
		}
		return b.String()[:n]
	}
	for _, n := range []int{60, 70, 75, 76, 77, 78, 79, 80, 81, 82, 85, 90, 100, 120, 160, 200, 300} {
		out = append(out, words(n))
	}
	for _, n := range []int{79, 80, 81, 120, 250} {
		out = append(out, strings.Repeat("x", n))
	}
	out = append(out,
		strings.Repeat("a", 90)+" "+strings.Repeat("b", 90),
		strings.Repeat("a ", 50),
		strings.Repeat("a  ", 40),
		strings.Repeat("word ", 20)+"  double  spaces  "+strings.Repeat("word ", 10),
		strings.Repeat("word ", 30)+"\n"+strings.Repeat("word ", 30),
		"https://example.com/"+strings.Repeat("path/", 20)+"?query=1&other=2 tail",
		strings.Repeat("é ", 45),
		strings.Repeat("日本 ", 30),
		strings.Repeat("word ", 14)+": colon "+strings.Repeat("word ", 5),
		strings.Repeat("word ", 14)+"#hash "+strings.Repeat("word ", 5),
		strings.Repeat("word ", 20)+"\ttab",
		"'"+strings.Repeat("quoted ", 15)+"'",
	)
	return out
}

// placeholderLong places ${...} around the folding column.
func placeholderLong() []string {
	var out []string
	for _, ph := range []string{"${VAR}", "${VAR:=a default with spaces}", "${VAR:=x}", "${A_VERY_LONG_VARIABLE_NAME_FOR_TESTING}", "${VAR/ /-}"} {
		for _, pre := range []int{50, 60, 65, 70, 72, 74, 75, 76, 77, 78, 79, 80} {
			var b strings.Builder
			for b.Len() < pre {
				b.WriteString("ab ")
			}
			s := b.String()[:pre]
			if !strings.HasSuffix(s, " ") {
				s = s[:len(s)-1] + " "
			}
			out = append(out, s+ph+" tail words here")
		}
	}
	return out
}

func emitCases() []any {
	var out []any
	add := func(name, j string) { out = append(out, emitCase{Name: name, JSON: j}) }

	// key ordering
	add("keys/digit-runs", `{"a10":1,"a9":2,"a1":3,"a":4,"b":5,"a2":6,"a100":7,"a01":8,"a001":9,"A":10,"Z":11,"_":12,"z":13}`)
	add("keys/numeric-strings", `{"1":1,"10":2,"9":3,"-1":4,"2":5,"100":6}`)
	add("keys/zero-padded", `{"01":1,"0":2,"00":3,"000":4,"1":5,"007":6}`)
	add("keys/number-like", `{"1.5":1,"1e3":2,"0x1":3,"1":4,"-2":5}`)
	add("keys/cyclic/numeric-strings", `{"1":1,"10":2,"9":3,"-1":4,"1.5":5,"01":6,"2":7,"100":8,"0":9,"00":10,"000":11,"1e3":12,"0x1":13}`)
	add("keys/versions", `{"v1.10.0":1,"v1.9.0":2,"v1.9":3,"item-10":4,"item-9":5,"item-1":6,"x1y10":7,"x1y9":8,"x9y1":9}`)
	add("keys/cyclic/letters-after-digits", `{"a1b":1,"a2b":2,"a10b":3,"a9b":4}`)
	// Non-transitive for go-yaml v2 (a10 < a1b < a2b < a10): the order changes from run to run.
	add("keys/cyclic/minimal", `{"a10":1,"a1b":2,"a2b":3}`)
	add("keys/cyclic/digits", `{"a10":1,"a9":2,"a1":3,"a":4,"b":5,"A":6,"_":7,"1":8,"10":9,"9":10,"-1":11,"1.5":12,"01":13,"a01":14,"a001":15,"a1b":16,"a10b":17,"a2b":18,"2":19,"100":20,"z":21,"Z":22}`)
	add("keys/cyclic/mixed", `{"x1y10":1,"x1y9":2,"x10y1":3,"x9y1":4,"v1.10.0":5,"v1.9.0":6,"v1.9":7,"item-10":8,"item-9":9,"item-1":10,"00":11,"0":12,"000":13}`)
	add("keys/unicode", `{"é":1,"e":2,"z":3,"ä":4,"日本":5,"😀":6,"Z":7,"~":8,"ÿ":9,"Ā":10}`)
	add("keys/empty", `{"":1,"a":2," ":3}`)
	add("keys/quoting", `{"yes":1,"null":2,"~":3,"- a":4,"a: b":5,"#x":6,"true":7,"123":8,"0755":9,"key with space":10,"a\tb":11,"1e3":12,"*x":13,"&x":14,"!x":15,"? x":16,"[x]":17,"{x}":18,"'x'":19,"\"x\"":20,"%x":21,"@x":22,"`+"`x"+`":23,"on":24,"y":25,"\n":26,"a\nb":27,"${VAR}":28,"${VAR}: x":29}`)
	add("keys/long", mustJSON(map[string]int{strings.Repeat("k", 130): 1, strings.Repeat("word ", 30): 2}))
	add("keys/case", `{"b":1,"B":2,"a":3,"A":4,"_a":5,"-a":6,".a":7}`)

	for i, s := range scalarStrings {
		add(fmt.Sprintf("string/%03d %s", i, mustJSON(s)), mustJSON(map[string]string{"v": s}))
	}
	add("string/all-in-list", mustJSON(scalarStrings))
	for i, s := range multiLineStrings {
		add(fmt.Sprintf("multiline/%02d %s", i, mustJSON(s)), mustJSON(map[string]any{"v": s, "list": []string{s}, "nested": map[string]any{"deeper": map[string]string{"v": s}}}))
	}
	for i, s := range longStrings() {
		add(fmt.Sprintf("long/%02d len%d", i, len(s)), mustJSON(map[string]any{
			"v":    s,
			"list": []any{s, []string{s}},
			"a":    map[string]any{"b": map[string]any{"c": map[string]any{"d": s}}},
		}))
	}
	for i, s := range placeholderLong() {
		add(fmt.Sprintf("placeholder-fold/%02d", i), mustJSON(map[string]any{
			"v":    s,
			"list": []string{s},
			"deep": map[string]any{"x": map[string]string{"y": s}},
		}))
	}

	// numbers
	nums := []string{"0", "-0", "1", "-1", "42", "9007199254740991", "9007199254740993", "-9007199254740993",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
		"1.0", "1.5", "-1.5", "0.1", "1e21", "1e20", "1E21", "1e-7", "1e-6", "0.000001", "0.0000001", "1e308", "1e400",
		"-0.0", "2.5e-5", "100.0", "1.0e2", "123456789.123456789", "3.141592653589793238", "5e-324", "1.7976931348623157e308",
	}
	for _, n := range nums {
		add("number/"+n, `{"v":`+n+`,"l":[`+n+`]}`)
	}
	add("literals", `{"t":true,"f":false,"n":null,"l":[true,false,null]}`)
	add("empty/map", `{}`)
	add("empty/list", `[]`)
	add("empty/nested", `{"m":{},"l":[],"lm":[{}],"ll":[[]],"mm":{"a":{}}}`)
	add("top/string", `"just a string"`)
	add("top/number", `12`)
	add("top/null", `null`)
	add("top/list", `[1,"a",{"b":2}]`)
	add("nested/lists", `{"l":[[1,2],[[3],[4,[5]]],[],[{"a":1}]]}`)
	add("nested/list-of-maps", `{"l":[{"a":1,"b":2},{"c":{"d":[1,2]}},{"e":[{"f":"g"}]}]}`)
	add("nested/maps-in-lists-in-maps", `{"a":{"b":[{"c":{"d":[{"e":"f","g":[1,{"h":"i"}]}]}}]}}`)
	add("nested/list-first-multiline", `{"l":[{"a":"x\ny\n","b":1}],"m":["x\ny"]}`)
	add("nested/deep", mustJSON(deep(20)))
	add("kubernetes/deployment", `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app","labels":{"app":"web","version":"1.0"}},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.21","args":["--port=8080","-v"],"env":[{"name":"A","value":"yes"},{"name":"B","value":"0755"}],"ports":[{"containerPort":8080}]}]}}}}`)
	add("duplicate-keys", `{"a":1,"a":2}`)
	add("error/empty", ``)
	add("error/unclosed", `{"a":`)
	add("error/trailing-comma", `{"a":1,}`)
	add("error/bare", `{a:1}`)
	add("error/two-docs", `{"a":1} {"b":2}`)
	add("escapes/json", `{"v":"\u0041\t\u00e9\ud83d\ude00\/\\\"\b\f"}`)
	add("escapes/lone-surrogate", `{"v":"\ud800"}`)

	r := &rng{s: 0x5eed_e417_2026}
	for i := 0; i < 120; i++ {
		add(fmt.Sprintf("random/%03d", i), mustJSON(r.jsonValue(0, true)))
	}
	return out
}

func deep(n int) any {
	if n == 0 {
		return "leaf value that is long enough to be folded when it is indented this deeply in the document"
	}
	if n%2 == 0 {
		return map[string]any{fmt.Sprintf("k%d", n): deep(n - 1)}
	}
	return []any{deep(n - 1)}
}

var randomKeys = []string{"a", "b", "a10", "a9", "a1", "1", "10", "9", "name", "yes", "on", "", "é", "key with space", "${VAR}", "x: y", "-", "_", "Z", "02"}

func (r *rng) randomString() string {
	switch r.intn(6) {
	case 0:
		return r.pick(scalarStrings)
	case 1:
		return r.pick(multiLineStrings)
	case 2:
		ls := longStrings()
		return ls[r.intn(len(ls))]
	case 3:
		ps := placeholderLong()
		return ps[r.intn(len(ps))]
	default:
		var b strings.Builder
		for n := 1 + r.intn(4); n > 0; n-- {
			b.WriteString(r.pick([]string{"a", "b ", " ", "${X}", "\n", ":", "#", "'", "\"", "é", "-", "yes", "1", "\t", "{", "word "}))
		}
		return b.String()
	}
}

func (r *rng) jsonValue(depth int, top bool) any {
	k := r.intn(10)
	if top {
		k = 0
	}
	if depth > 4 && k < 4 {
		k = 4 + r.intn(6)
	}
	switch k {
	case 0, 1:
		m := map[string]any{}
		for n := r.intn(5); n >= 0; n-- {
			m[r.pick(randomKeys)] = r.jsonValue(depth+1, false)
		}
		return m
	case 2, 3:
		var l []any
		for n := r.intn(4); n > 0; n-- {
			l = append(l, r.jsonValue(depth+1, false))
		}
		if l == nil {
			return []any{}
		}
		return l
	case 4, 5, 6:
		return r.randomString()
	case 7:
		return json.Number(r.pick([]string{"0", "1", "-7", "1.5", "1e21", "9007199254740993", "18446744073709551616", "0.1", "-0"}))
	case 8:
		return r.intn(2) == 0
	default:
		return nil
	}
}
