// Command gen writes the generated envsubst vector inputs:
//
//	DIR/edge-cases.input.json  hand-picked corner cases of the grammar and operators
//	DIR/generated.input.json   every operator x value state x mode, then seeded random templates
//	DIR/robustness.input.json  deep nesting, NUL and control characters, long lines, truncations
//
// It only writes inputs; `go run . DIR` (the oracle) computes the expectations.
// The output is a pure function of this file: the random part uses its own
// seeded generator, so it does not depend on the Go version.
//
// Usage (from conformance/oracle-envsubst): go run ./gen ../subst
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const seed = 0x5eed_f1a5_2026

type testCase struct {
	Name   string            `json:"name"`
	Input  string            `json:"input"`
	Vars   map[string]string `json:"vars"`
	Strict bool              `json:"strict"`
}

type file struct {
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Cases       []testCase `json:"cases"`
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

func (r *rng) pick(xs []string) string { return xs[r.intn(len(xs))] }

func (r *rng) chance(percent int) bool { return r.intn(100) < percent }

// both returns the case in lenient and in strict mode.
func both(name, input string, vars map[string]string) []testCase {
	return []testCase{
		{Name: name + "/lenient", Input: input, Vars: vars, Strict: false},
		{Name: name + "/strict", Input: input, Vars: vars, Strict: true},
	}
}

func write(dir, name string, f file) {
	seen := map[string]bool{}
	for i, c := range f.Cases {
		// Keep only the variables whose name occurs in the input: the others
		// cannot change the result, and the files stay small.
		used := map[string]string{}
		for k, v := range c.Vars {
			if strings.Contains(c.Input, k) {
				used[k] = v
			}
		}
		f.Cases[i].Vars = used
		if seen[c.Name] {
			panic("duplicate case name " + c.Name)
		}
		seen[c.Name] = true
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, name+".input.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("wrote %s (%d cases)\n", path, len(f.Cases))
}

// ---------------------------------------------------------------------------
// edge cases

func edgeCases() []testCase {
	v := map[string]string{
		"v": "héllo/wörld", "a": "abcabc", "e": "", "n": "3", "neg": "-2", "negl": "-1",
		"big": "9223372036854775807", "min": "-9223372036854775808", "été": "summer", "٣": "three",
		"_x": "underscore", "9": "nine", "s": "a/b/c.d.e", "star": "a*b", "u8": "ÀÉÎ straße ǅ İ ﬀ ǆ ᾳ",
	}
	var out []testCase
	add := func(name, input string) { out = append(out, both(name, input, v)...) }
	groups := []struct {
		prefix string
		inputs []string
	}{
		{"text", []string{"", "plain", "$v", "$", "$$", "$$$", "$$$$", "a$", "}", "{}", "${", "$${", "$$${v}", "\\${v}", "\\\\${v}", "$ {v}", "${v}$v${v}"}},
		{"name", []string{"${}", "${v", "${v-x}", "${v+x}", "${v?}", "${v?x}", "${a.b}", "${v v}", "${ v}", "${été}", "${٣}", "${Ⅳ}", "${_x}", "${9}", "${v-}", "${v[0]}", "${v}}", "${{v}}", "${$v}", "${${v}}", "${v\\}", "${-}", "${é"}},
		{"length", []string{"${#v}", "${#e}", "${#unset}", "${##}", "${#}", "${#v:1}", "${#v#}", "${#${v}}", "${# v}", "${#été}", "${#u8}"}},
		{"case", []string{"${v^}", "${v^^}", "${v,}", "${v,,}", "${v^,}", "${v,^}", "${v^^^}", "${v,,,}", "${v^x}", "${u8^^}", "${u8,,}", "${u8^}", "${u8,}", "${e^}", "${unset^^}"}},
		{"substr", []string{"${v:0}", "${v:1}", "${v:2:3}", "${v:}", "${v:", "${v::}", "${v:1::2}", "${v:1:::2}", "${v:1:}", "${v:1:2:3}", "${v:1${n}}", "${v:${n}}", "${v:${n}:${n}}",
			"${v:${neg}}", "${v:${neg}:1}", "${v:1:${negl}}", "${v:0:${negl}}", "${v:${n}:${neg}}", "${v:30:${negl}}", "${v:11:${negl}}", "${v:12:${negl}}", "${v:1:${big}}", "${v:${big}}", "${v:${big}:1}", "${v:${min}}", "${v:${min}:2}",
			"${v: 2}", "${v:+2}", "${v:007:2}", "${v:2:+3}", "${v:x}", "${v:1:x}", "${v:2:0}", "${v:99}", "${v:99:1}", "${v:1:2}", "${v:2:1}", "${v:é}", "${v:€}", "${v:😀}", "${n:é}", "${v:a}", "${v:9223372036854775808}", "${v:1:9223372036854775808}", "${e:0:1}"}},
		{"remove", []string{"${v#}", "${v##}", "${v###}", "${v#h}", "${v#*}", "${v##*}", "${v%*}", "${v%%*}", "${v#?}", "${v%?}", "${v#??}", "${v%??}", "${v#*/}", "${v##*/}", "${v%/*}", "${v%%/*}", "${v#*l}", "${v##*l}", "${v%l*}", "${v%%l*}",
			"${v#[a-z]}", "${v#[^h]}", "${v#[}", "${v#h[}", "${v#x[}", "${v#[]}", "${v#[a-]}", "${v#[-a]}", "${v#\\}", "${v#\\h}", "${v#[\\h]}", "${v%[a-z]}", "${v%]d[}", "${v%[d]}", "${v#${e}}", "${v#x${n}}", "${v#é}", "${v#h?}", "${v#hé}", "${star#*\\*}", "${star#a\\*}", "${s#*.}", "${s##*.}", "${s%.*}", "${s%%.*}", "${v%*ö*}", "${v%%*ö*}", "${v#*ö*}", "${u8#?}", "${u8%?}", "${u8%??}", "${u8%%?}"}},
		{"replace", []string{"${v/l/L}", "${v//l/L}", "${v/#h/H}", "${v/%d/D}", "${v/#x/X}", "${v/%x/X}", "${v/l/}", "${v//l/}", "${v/#h/}", "${v/%d/}", "${v/l}", "${v/x}/y}", "${v//}", "${v///y}", "${v/\\//-}", "${v//\\//-}", "${v/\\\\/-}", "${v/$$/-}", "${v/$${n}/-}",
			"${v/l/\\/}", "${v/l/\\\\}", "${v/l/$$}", "${v/l/$${n}}", "${v/l/\\n}", "${v/\\l/-}", "${v/${e}/-}", "${v//${e}/-}", "${v/#${e}/-}", "${v/%${e}/-}", "${v/x${n}/c}", "${v/l/${n}c}", "${v/l/${n}}", "${v/${n}/x}", "${star/*/-}", "${star//*/-}", "${v/ö/oe}", "${v//l/${v}}", "${v/l/}}", "${v/l/a/b}", "${a//b/}", "${a/#abc/}", "${a/%abc/}", "${a/#abc/X}", "${a/%abc/X}", "${e//x/y}", "${e//${e}/y}"}},
		{"default", []string{"${v=x}", "${e=x}", "${unset=x}", "${v:=x}", "${e:=x}", "${unset:=x}", "${e:-x}", "${e:?x}", "${e:+x}", "${v:+x}", "${v:?x}", "${unset:?msg}", "${unset:+alt}", "${e=}", "${e:=}", "${unset=}", "${e==x}", "${e:-=x}", "${e:=:=x}", "${e:=$$}", "${e:=\\/}", "${e:=a}b}", "${e:=a${n}b${v^}c}", "${e:=${e:=${e:=deep}}}", "${e=${unset}}", "${v=${unset}}", "${v:=${unset:=z}}", "${e:=${v:1:2}${n}}", "${e:=", "${e:=x", "${e:=${n}", "${e:=x${"}},
		{"positions", []string{"line1\nline2 ${v-x}", "a: 1\nb: ${unset}\n", "é\n€${v", "\n\n  ${v:é}", "x${v/a}"}},
	}
	for _, g := range groups {
		for i, in := range g.inputs {
			add(fmt.Sprintf("%s/%02d", g.prefix, i), in)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// systematic: every operator x every value state

var states = []struct {
	name  string
	value *string
}{
	{"unset", nil},
	{"empty", ptr("")},
	{"ascii", ptr("abcabc/a.b")},
	{"multibyte", ptr("héllo wörld €😀")},
	{"cases", ptr("ÀÉÎ straße ǅ İ ﬀ ǆ ᾳ")},
	{"digits", ptr("0123456789")},
}

func ptr(s string) *string { return &s }

var systematicOps = []string{
	"${V}", "${#V}", "${V^}", "${V^^}", "${V,}", "${V,,}", "${V^,}", "${V,^}",
	"${V:0}", "${V:1}", "${V:2:3}", "${V:1:1}", "${V:3:2}", "${V:${neg}}", "${V:${neg}:1}", "${V:1:${negl}}", "${V:x}", "${V:1:x}", "${V:99}", "${V: 1}",
	"${V#*a}", "${V##*a}", "${V%a*}", "${V%%a*}", "${V#?}", "${V%?}", "${V#??}", "${V%%?}", "${V#[a-c]}", "${V#[}", "${V##*}", "${V%%*}", "${V#*/}", "${V%.*}", "${V#*é}", "${V%ö*}",
	"${V/a/X}", "${V//a/X}", "${V/#a/X}", "${V/%b/X}", "${V/a/}", "${V//a/}", "${V/#a/}", "${V/%b/}", "${V//\\//|}", "${V//${e}/-}", "${V/ö/oe}", "${V//€/EUR}",
	"${V=d}", "${V:=d}", "${V:-d}", "${V:?d}", "${V:+d}", "${V:=}", "${V=${w}}", "${V:=a${w}b}", "${V:=${U}}", "${V:-${V}}",
	"pre ${V} post", "${V}${V}", "$${V}",
}

func systematic() []testCase {
	var out []testCase
	for oi, op := range systematicOps {
		for _, st := range states {
			vars := map[string]string{"neg": "-3", "negl": "-1", "e": "", "w": "W"}
			if st.value != nil {
				vars["V"] = *st.value
			}
			out = append(out, both(fmt.Sprintf("op%02d %s/%s", oi, op, st.name), op, vars)...)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// random templates

var (
	textPool    = []string{"a", "x y", "$", "$$", "$$$", "}", "{", "\\", "\\/", "é", "€", "😀", "$x", ":", "#", "%", "/", "\n", "\t", "key: ", "-", "${", "$${n}"}
	namePool    = []string{"v", "v", "e", "u", "m", "n", "neg", "été", "_x", "9", "s"}
	patternPool = []string{"*", "?", "*a", "a*", "[a-z]*", "[^a]", "\\*", "[", "[]", "*/", "é*", "??", "*.*", "[a-", "\\", "b", "*b*", "?é", "/", "[é-ü]", "*[", "c"}
	literalPool = []string{"a", "b", "\\/", "\\\\", "$$", "é", "l", ".", "x", "ab", "\\", "€"}
	replPool    = []string{"", "X", "\\/", "$$", "-", "é", "\\\\", "YY"}
	offsetPool  = []string{"0", "1", "2", "5", "x", "007", "99", "3"}
	lengthPool  = []string{"0", "1", "2", "4", "x", "99", "+1"}
	defaultPool = []string{"d", "", "x y", "$$", "\\/", ":", "#", "é"}
	breakPool   = []string{"$", "{", "}", ":", "/", "\\", "#", "%", "-", "+", "?", "=", ",", "^", "\x00", "é", "\x01"}
)

var randomVars = map[string]string{
	"v": "abcabc/a.b", "e": "", "m": "héllo wörld €😀", "n": "2", "neg": "-3", "été": "summer", "_x": "X", "9": "nine", "s": "a/b/c.d.e",
}

func (r *rng) text() string {
	var b strings.Builder
	for n := 1 + r.intn(2); n > 0; n-- {
		b.WriteString(r.pick(textPool))
	}
	return b.String()
}

// arg is either literal text from pool or, below the depth limit, a nested expression.
func (r *rng) arg(pool []string, depth int) string {
	if depth < 3 && r.chance(25) {
		return r.expr(depth + 1)
	}
	return r.pick(pool)
}

func (r *rng) expr(depth int) string {
	name := r.pick(namePool)
	switch r.intn(8) {
	case 0:
		return "${" + name + "}"
	case 1:
		return "${#" + name + "}"
	case 2:
		return "${" + name + r.pick([]string{"^", "^^", ",", ",,", "^,", ",^"}) + "}"
	case 3:
		s := "${" + name + ":" + r.arg(offsetPool, depth)
		if r.chance(60) {
			s += ":" + r.arg(lengthPool, depth)
		}
		return s + "}"
	case 4:
		return "${" + name + r.pick([]string{"#", "##", "%", "%%"}) + r.arg(patternPool, depth) + "}"
	case 5:
		s := "${" + name + r.pick([]string{"/", "//", "/#", "/%"}) + r.arg(literalPool, depth) + "/"
		if r.chance(80) {
			s += r.arg(replPool, depth)
		}
		return s + "}"
	default:
		s := "${" + name + r.pick([]string{"=", ":=", ":-", ":?", ":+"})
		for n := r.intn(3); n > 0; n-- {
			s += r.arg(defaultPool, depth)
		}
		return s + "}"
	}
}

func (r *rng) template() string {
	var b strings.Builder
	for n := 1 + r.intn(4); n > 0; n-- {
		if r.chance(35) {
			b.WriteString(r.text())
		} else {
			b.WriteString(r.expr(0))
		}
	}
	s := b.String()
	switch {
	case r.chance(8):
		// Truncate at a byte offset that is a character boundary.
		for i := r.intn(len(s) + 1); i >= 0; i-- {
			if i == 0 || i == len(s) || (s[i]&0xC0) != 0x80 {
				s = s[:i]
				break
			}
		}
	case r.chance(10):
		// Insert a grammar character somewhere.
		for i := r.intn(len(s) + 1); i >= 0; i-- {
			if i == 0 || i == len(s) || (s[i]&0xC0) != 0x80 {
				s = s[:i] + r.pick(breakPool) + s[i:]
				break
			}
		}
	}
	return s
}

func random(n int) []testCase {
	r := &rng{s: seed}
	var out []testCase
	for i := 0; i < n; i++ {
		in := r.template()
		vars := randomVars
		if r.chance(20) {
			// Sometimes every variable is unset.
			vars = map[string]string{}
		}
		out = append(out, testCase{Name: fmt.Sprintf("random/%04d", i), Input: in, Vars: vars, Strict: r.chance(50)})
	}
	return out
}

// ---------------------------------------------------------------------------
// robustness

func robustness() []testCase {
	vars := map[string]string{"v": "value", "z": "0", "n": "2"}
	var out []testCase
	add := func(name, input string) { out = append(out, both(name, input, vars)...) }
	one := func(name, input string, strict bool) {
		mode := "lenient"
		if strict {
			mode = "strict"
		}
		out = append(out, testCase{Name: name + "/" + mode, Input: input, Vars: vars, Strict: strict})
	}
	// 10,000 levels where the depth is the point; 1,000 elsewhere (file size).
	const deep, mid = 10000, 1000
	one("nested-default-10000", strings.Repeat("${a:=", deep)+"x"+strings.Repeat("}", deep), true)
	add("nested-default-10000-missing-inner", strings.Repeat("${a:=", deep)+"${b}"+strings.Repeat("}", deep))
	one("nested-default-10000-unterminated", strings.Repeat("${a:=", deep), false)
	one("nested-open-10000", strings.Repeat("${", deep), false)
	add("nested-default-1000-with-text", strings.Repeat("${a:=x", mid)+strings.Repeat("}", mid))
	add("nested-substring-1000", strings.Repeat("${z:", mid)+"0"+strings.Repeat("}", mid))
	add("nested-replace-1000", strings.Repeat("${v/", mid)+"v"+strings.Repeat("/x}", mid))
	add("nested-default-1000-one-short", strings.Repeat("${a:=", mid)+"x"+strings.Repeat("}", mid-1))
	add("long-text-20k", strings.Repeat("abcdefghij", 2000))
	add("long-dollars-20k", strings.Repeat("$$", 10000))
	add("long-dollars-odd", strings.Repeat("$", 10001))
	add("long-exprs-5k", strings.Repeat("${v}", 5000))
	add("long-default-arg", "${e:="+strings.Repeat("d", 20000)+"}")
	add("long-name", "${"+strings.Repeat("n", 20000)+"}")
	add("long-line-with-error-at-end", strings.Repeat("${v} ", 2000)+"${v-x}")
	add("long-replace-arg", "${v/"+strings.Repeat("\\/", 5000)+"/"+strings.Repeat("$$", 5000)+"}")
	for i, s := range []string{"\x00", "a\x00b", "${v}\x00${unset}", "${v\x00}", "${v:=a\x00b}", "${e:=a\x00b}", "${v/a\x00/b}", "${v/l/\x00}", "$\x00{v}", "${\x00v}", "${#\x00}", "${v:\x00}", "${v:1\x00}", "${v#\x00}", "${v^\x00}", "$$\x00$$", "${v-x}\x00", "\x00${v-x}", "${v:\x00:1}"} {
		add(fmt.Sprintf("nul/%02d", i), s)
	}
	for i, s := range []string{"\x01${v}\x1f", "${e:=\x7f\x08}", "\r\n${v}\r\n", "${v/\t/ }", "\x1b[31m${v}\x1b[0m", "${v:=\u2028}", "\ufeff${v}", "${v\u200b}", "${e:=\ufffd}", "${v//\ufffd/x}"} {
		add(fmt.Sprintf("control/%02d", i), s)
	}
	// Every prefix of some complete texts: the end of input in every parser state.
	full := []string{
		"a${v/\\/x\\\\/$${n:=${z:1:2}}}b${#v}${v%%*é}${v,,}$$",
		"${v:${n}:${z}}${e:=x${v^}y}${v//a/b}${v/#v/V}${v##*[a-]}",
	}
	for fi, f := range full {
		for i := 0; i <= len(f); i++ {
			if i < len(f) && (f[i]&0xC0) == 0x80 {
				continue
			}
			add(fmt.Sprintf("prefix/%d/%03d", fi, i), f[:i])
		}
	}
	return out
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	const src = "conformance/oracle-envsubst/gen (deterministic); expectations computed by conformance/oracle-envsubst"
	write(dir, "edge-cases", file{
		Description: "Hand-picked corner cases: text and escapes, names, every operator's malformed spellings, byte-based substrings and panicking lengths, glob and replace quirks, error positions.",
		Source:      src,
		Cases:       edgeCases(),
	})
	write(dir, "generated", file{
		Description: "Every operator against every value state (unset, empty, ASCII, multi-byte, case-mapping specials, digits) in both modes, then 600 seeded random templates (nesting, escapes, truncations, inserted grammar characters).",
		Source:      src,
		Cases:       append(systematic(), random(600)...),
	})
	write(dir, "robustness", file{
		Description: "10,000- and 1,000-deep nesting, long lines, NUL and control characters, and every prefix of complex texts (end of input in every parser state).",
		Source:      src,
		Cases:       robustness(),
	})
}
