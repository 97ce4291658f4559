// Command oracle-semver computes the expected answers of the semver conformance
// vectors with github.com/Masterminds/semver/v3 v3.5.0, the version Flux 2.9 pins
// (image-reflector-controller v1.2.0, source-controller v1.9.x, fluxcd/pkg/git v0.52.0).
//
// Usage (through run.sh):
//
//	./run.sh DIR        for every DIR/<name>.input.json write DIR/<name>.json
//	./run.sh gen DIR    write DIR/generated.input.json (deterministic)
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

type testCase struct {
	Name       string    `json:"name"`
	Version    *string   `json:"version,omitempty"`
	Constraint *string   `json:"constraint,omitempty"`
	Versions   []string  `json:"versions,omitempty"`
	Compare    []string  `json:"compare,omitempty"`
	Expect     *expected `json:"expect,omitempty"`
}

type parsed struct {
	String     string `json:"string"`
	Major      string `json:"major"`
	Minor      string `json:"minor"`
	Patch      string `json:"patch"`
	Prerelease string `json:"prerelease"`
	Metadata   string `json:"metadata"`
	Original   string `json:"original"`
}

type expected struct {
	// Error is the error text of NewVersion / NewConstraint (compare: of the
	// first version that fails), "" when none.
	Error   string  `json:"error"`
	Version *parsed `json:"version,omitempty"`
	// Check[i] is Constraints.Check(versions[i]); null when versions[i] is not a version.
	Check *[]*bool `json:"check,omitempty"`
	// Constraint is Constraints.String().
	Constraint string `json:"constraint,omitempty"`
	Compare    *int   `json:"compare,omitempty"`
}

type file struct {
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Meta        map[string]string `json:"meta,omitempty"`
	Cases       []testCase        `json:"cases"`
}

func evaluate(c *testCase) {
	e := &expected{}
	switch {
	case c.Version != nil:
		v, err := semver.NewVersion(*c.Version)
		if err != nil {
			e.Error = err.Error()
		} else {
			e.Version = &parsed{
				String: v.String(), Major: strconv.FormatUint(v.Major(), 10),
				Minor: strconv.FormatUint(v.Minor(), 10), Patch: strconv.FormatUint(v.Patch(), 10),
				Prerelease: v.Prerelease(), Metadata: v.Metadata(), Original: v.Original(),
			}
		}
	case c.Constraint != nil:
		cs, err := semver.NewConstraint(*c.Constraint)
		if err != nil {
			e.Error = err.Error()
			break
		}
		e.Constraint = cs.String()
		check := []*bool{}
		for _, s := range c.Versions {
			v, err := semver.NewVersion(s)
			if err != nil {
				check = append(check, nil)
				continue
			}
			ok := cs.Check(v)
			check = append(check, &ok)
		}
		e.Check = &check
	case len(c.Compare) == 2:
		a, err := semver.NewVersion(c.Compare[0])
		if err != nil {
			e.Error = err.Error()
			break
		}
		b, err := semver.NewVersion(c.Compare[1])
		if err != nil {
			e.Error = err.Error()
			break
		}
		r := a.Compare(b)
		e.Compare = &r
	}
	c.Expect = e
}

func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func run(dir string) error {
	inputs, err := filepath.Glob(filepath.Join(dir, "*.input.json"))
	if err != nil {
		return err
	}
	for _, in := range inputs {
		raw, err := os.ReadFile(in)
		if err != nil {
			return err
		}
		var f file
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		for i := range f.Cases {
			evaluate(&f.Cases[i])
		}
		if f.Meta == nil {
			f.Meta = map[string]string{}
		}
		f.Meta["masterminds_semver_version"] = "v3.5.0"
		out := strings.TrimSuffix(in, ".input.json") + ".json"
		if err := os.WriteFile(out, encode(f), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d cases\n", out, len(f.Cases))
	}
	return nil
}

// gen writes a deterministic set of versions, pairs and constraints built from
// pieces that exercise every operator, wildcard, hyphen range and pre-release rule.
func gen(dir string) error {
	r := rand.New(rand.NewSource(20261122))
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	nums := []string{"0", "1", "2", "3", "10", "01", "00", "007", "18446744073709551615", "18446744073709551616"}
	pres := []string{"", "", "", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-rc.10", "-0", "-01", "-1.2.3", "-x-y", "-alpha.beta", "-Alpha"}
	metas := []string{"", "", "", "+build.1", "+001", "+sha.5114f85", "+a-b"}
	prefixes := []string{"", "", "", "v"}
	version := func() string {
		n := 1 + r.Intn(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = pick(nums[:8])
		}
		if r.Intn(25) == 0 {
			parts[r.Intn(n)] = pick(nums[8:])
		}
		s := pick(prefixes) + strings.Join(parts, ".") + pick(pres) + pick(metas)
		if r.Intn(30) == 0 {
			s += pick([]string{".4", "-", "+", " ", "\n", "é", "_"})
		}
		if r.Intn(30) == 0 {
			s = pick([]string{"V", " ", "vv", "="}) + s
		}
		return s
	}
	ops := []string{"", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^", "==", "!"}
	wild := []string{"x", "X", "*"}
	cver := func() string {
		n := 1 + r.Intn(3)
		parts := make([]string, n)
		for i := range parts {
			if r.Intn(5) == 0 {
				parts[i] = pick(wild)
			} else {
				parts[i] = pick(nums[:5])
			}
		}
		s := pick([]string{"", "", "", "v"}) + strings.Join(parts, ".")
		if r.Intn(4) == 0 {
			s += pick(pres[3:])
		}
		if r.Intn(10) == 0 {
			s += pick(metas[3:])
		}
		return s
	}
	single := func() string {
		sp := pick([]string{"", "", " "})
		return pick(ops[:12]) + sp + cver()
	}
	constraint := func() string {
		groups := 1 + r.Intn(3)
		var gs []string
		for g := 0; g < groups; g++ {
			var s string
			switch r.Intn(6) {
			case 0:
				s = cver() + " - " + cver()
			case 1:
				s = single() + pick([]string{" ", ", ", ","}) + single()
			case 2:
				s = pick(ops) + cver()
			default:
				s = single()
			}
			gs = append(gs, s)
		}
		return strings.Join(gs, pick([]string{" || ", "||", " ||"}))
	}
	f := file{
		Description: "Generated (deterministic, gen in main.go): versions, comparisons and constraints with every operator, wildcard, hyphen range, pre-release and build metadata form, leading zeros and out-of-range numbers.",
		Source:      "conformance/oracle-semver gen",
	}
	for i := 0; i < 150; i++ {
		v := version()
		f.Cases = append(f.Cases, testCase{Name: fmt.Sprintf("version-%03d", i), Version: &v})
	}
	for i := 0; i < 150; i++ {
		f.Cases = append(f.Cases, testCase{Name: fmt.Sprintf("compare-%03d", i), Compare: []string{version(), version()}})
	}
	for i := 0; i < 300; i++ {
		c := constraint()
		vs := make([]string, 8)
		for j := range vs {
			vs[j] = version()
		}
		f.Cases = append(f.Cases, testCase{Name: fmt.Sprintf("constraint-%03d", i), Constraint: &c, Versions: vs})
	}
	out := filepath.Join(dir, "generated.input.json")
	if err := os.WriteFile(out, encode(f), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d cases\n", out, len(f.Cases))
	return nil
}

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "gen":
		err = gen(os.Args[2])
	case len(os.Args) == 2:
		err = run(os.Args[1])
	default:
		err = fmt.Errorf("usage: oracle-semver DIR | gen DIR")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
