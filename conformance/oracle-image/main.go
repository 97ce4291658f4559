// Command oracle-image computes the expected answers of the image policy
// conformance vectors with image-reflector-controller v1.2.0's internal/policy
// (SemVer, Alphabetical, Numerical, RegexFilter), compiled from the module cache
// through `go build -overlay` (see run.sh). The reconciler's policy choice
// (PolicerFromSpec: semver, else alphabetical, else numerical, orders upper-cased)
// and applyPolicy (filter, Latest, GetOriginalTag) live in packages that pull in the
// whole controller; they are re-stated here in a few lines.
//
// The filter keeps tags in a Go map, so with filterTags the answer among equal
// versions or numbers depends on map order: each case runs 40 times and every
// answer seen is recorded in `possible` (sorted) when there is more than one.
//
// Usage (through run.sh): ./run.sh DIR | ./run.sh gen DIR
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fluxcd-core/fluxcd-core/conformance/oracle-image/upstream/policy"
)

type choice struct {
	SemVer       *struct{ Range string `json:"range"` }  `json:"semver,omitempty"`
	Alphabetical *struct{ Order string `json:"order"` }  `json:"alphabetical,omitempty"`
	Numerical    *struct{ Order string `json:"order"` }  `json:"numerical,omitempty"`
}

type filterTags struct {
	Pattern string `json:"pattern"`
	Extract string `json:"extract,omitempty"`
}

type testCase struct {
	Name       string      `json:"name"`
	Policy     choice      `json:"policy"`
	FilterTags *filterTags `json:"filterTags,omitempty"`
	Tags       []string    `json:"tags"`
	Expect     *expected   `json:"expect,omitempty"`
}

type expected struct {
	Tag        string   `json:"tag"`
	Error      string   `json:"error"`
	Candidates []string `json:"candidates"`
	Dropped    []string `json:"dropped"`
	Possible   []string `json:"possible,omitempty"`
}

type file struct {
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Meta        map[string]string `json:"meta,omitempty"`
	Cases       []testCase        `json:"cases"`
}

func policer(c choice) (policy.Policer, error) {
	switch {
	case c.SemVer != nil:
		return policy.NewSemVer(c.SemVer.Range)
	case c.Alphabetical != nil:
		return policy.NewAlphabetical(strings.ToUpper(c.Alphabetical.Order))
	case c.Numerical != nil:
		return policy.NewNumerical(strings.ToUpper(c.Numerical.Order))
	}
	return nil, errors.New("given ImagePolicyChoice object is invalid")
}

// apply is the reconciler's applyPolicy on a tag list; also returns the filter's
// candidates (sorted) and dropped tags.
func apply(c *testCase) (string, []string, []string, error) {
	p, err := policer(c.Policy)
	if err != nil {
		return "", nil, nil, fmt.Errorf("invalid policy: %w", err)
	}
	tags := append([]string(nil), c.Tags...)
	if c.FilterTags == nil {
		// Latest may sort its argument in place: keep the list order for candidates.
		cands := append([]string{}, tags...)
		latest, err := p.Latest(tags)
		return latest, cands, []string{}, err
	}
	f, err := policy.NewRegexFilter(c.FilterTags.Pattern, c.FilterTags.Extract)
	if err != nil {
		return "", nil, nil, fmt.Errorf("failed to filter tags: %w", err)
	}
	f.Apply(tags)
	items := f.Items()
	cands := append([]string{}, items...)
	sort.Strings(cands)
	dropped := []string{}
	for _, t := range tags {
		if !f.Regexp.MatchString(t) {
			dropped = append(dropped, t)
		}
	}
	latest, err := p.Latest(items)
	if err != nil {
		return "", cands, dropped, err
	}
	return f.GetOriginalTag(latest), cands, dropped, nil
}

func evaluate(c *testCase) {
	seen := map[string]bool{}
	var e expected
	for i := 0; i < 40; i++ {
		tag, cands, dropped, err := apply(c)
		e = expected{Tag: tag, Candidates: cands, Dropped: dropped}
		if err != nil {
			e.Error = err.Error()
			e.Tag = ""
		}
		seen[e.Tag+"\x00"+e.Error] = true
		if c.FilterTags == nil {
			break
		}
	}
	if e.Candidates == nil {
		e.Candidates = []string{}
	}
	if e.Dropped == nil {
		e.Dropped = []string{}
	}
	if len(seen) > 1 {
		for k := range seen {
			e.Possible = append(e.Possible, strings.SplitN(k, "\x00", 2)[0])
		}
		sort.Strings(e.Possible)
	}
	c.Expect = &e
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
	inputs, _ := filepath.Glob(filepath.Join(dir, "*.input.json"))
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
		f.Meta["image_reflector_controller_version"] = "v1.2.0"
		out := strings.TrimSuffix(in, ".input.json") + ".json"
		if err := os.WriteFile(out, encode(f), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d cases\n", out, len(f.Cases))
	}
	return nil
}

func gen(dir string) error {
	r := rand.New(rand.NewSource(1122))
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	semverTag := func() string {
		s := fmt.Sprintf("%s%d.%d.%d", pick([]string{"", "", "v"}), r.Intn(3), r.Intn(12), r.Intn(12))
		if r.Intn(4) == 0 {
			s += pick([]string{"-rc.1", "-rc.2", "-alpha", "-beta.3", "-0"})
		}
		if r.Intn(8) == 0 {
			s += pick([]string{"+build.1", "+build.2", "+amd64"})
		}
		if r.Intn(12) == 0 {
			s = pick([]string{"latest", "main", "1.2", "v2", "sha-abc123", "1.2.3.4", "01.02.03"})
		}
		return s
	}
	ranges := []string{"*", ">=1.0.0", "1.x", "^1.2", "~1.2", ">=1.0.0 <2.0.0", "<1 || >=2.3", "1.2 - 2.1", ">=1.0.0-0", "~0.5.0-0", "!=1.3.x", ">=2.0.0-rc.1 <3", "bad range", ""}
	numTag := func() string {
		return pick([]string{fmt.Sprint(r.Intn(2000)), fmt.Sprint(1700000000 + r.Intn(1000)), fmt.Sprintf("%d.%d", r.Intn(9), r.Intn(99)), "1e3", "-5", "NaN", "0x1p4", "1_000", "abc", "1.0", "1"})
	}
	alphaTag := func() string {
		return pick([]string{fmt.Sprintf("2024-%02d-%02d", 1+r.Intn(12), 1+r.Intn(28)), fmt.Sprintf("RELEASE.2024-%02d", 1+r.Intn(12)), "latest", "Z", "a", "ä"})
	}
	filtered := func() (string, []string) {
		sha := fmt.Sprintf("%06x", r.Intn(1<<24))
		ts := fmt.Sprint(1700000000 + r.Intn(500))
		return sha, []string{"main-" + sha + "-" + ts, "dev-" + sha + "-" + ts, "main-" + ts, "v" + semverTag() + "-prod", "pr-" + fmt.Sprint(r.Intn(90)), semverTag()}
	}
	filters := []filterTags{
		{Pattern: `^main-[a-f0-9]+-(?P<ts>[0-9]+)$`, Extract: "$ts"},
		{Pattern: `^main-[a-f0-9]+-(?<ts>\d+)$`, Extract: "${ts}"},
		{Pattern: `^v(?P<v>.*)-prod$`, Extract: "$v"},
		{Pattern: `^(main|dev)-.*`},
		{Pattern: `^pr-(\d+)$`, Extract: "$1"},
		{Pattern: `^pr-(\d+)$`, Extract: "x$1x"},
		{Pattern: `^pr-(\d+)$`, Extract: "$1x"},
		{Pattern: `\d`},
		{Pattern: `^[[:alpha:]]+-\w+-\d+$`},
		{Pattern: `(?i)^MAIN-`},
		{Pattern: `^(?P<1a>[0-9]+)`, Extract: "${1a}"},
		{Pattern: `^\Qmain-\E.*`},
		{Pattern: `(a`},
		{Pattern: `(?x) a`},
		{Pattern: `a**`},
		{Pattern: `\1`},
		{Pattern: `^(main|dev)-(?P<sha>[a-f0-9]{6})-(?P<ts>[0-9]{10})$`, Extract: "$ts.$sha"},
	}
	f := file{
		Description: "Generated (deterministic, gen in main.go): 150 tag lists for every policy kind, order, semver range and filterTags pattern/extract form (named groups, Go-only syntax, invalid patterns).",
		Source:      "conformance/oracle-image gen",
	}
	for i := 0; i < 150; i++ {
		c := testCase{Name: fmt.Sprintf("list-%03d", i)}
		n := r.Intn(9)
		switch i % 5 {
		case 0, 1:
			rg := pick(ranges)
			c.Policy.SemVer = &struct{ Range string `json:"range"` }{rg}
			for j := 0; j < n; j++ {
				c.Tags = append(c.Tags, semverTag())
			}
		case 2:
			c.Policy.Numerical = &struct{ Order string `json:"order"` }{pick([]string{"", "asc", "DESC", "Asc", "up"})}
			for j := 0; j < n; j++ {
				c.Tags = append(c.Tags, numTag())
			}
		case 3:
			c.Policy.Alphabetical = &struct{ Order string `json:"order"` }{pick([]string{"", "asc", "desc"})}
			for j := 0; j < n; j++ {
				c.Tags = append(c.Tags, alphaTag())
			}
		case 4:
			ft := filters[r.Intn(len(filters))]
			c.FilterTags = &ft
			switch r.Intn(3) {
			case 0:
				c.Policy.Numerical = &struct{ Order string `json:"order"` }{pick([]string{"asc", "desc"})}
			case 1:
				c.Policy.Alphabetical = &struct{ Order string `json:"order"` }{pick([]string{"asc", "desc"})}
			default:
				c.Policy.SemVer = &struct{ Range string `json:"range"` }{pick(ranges[:9])}
			}
			for j := 0; j < 1+n/2; j++ {
				_, ts := filtered()
				c.Tags = append(c.Tags, ts[:2+r.Intn(4)]...)
			}
		}
		if c.Tags == nil {
			c.Tags = []string{}
		}
		f.Cases = append(f.Cases, c)
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
		err = errors.New("usage: oracle-image DIR | gen DIR")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
