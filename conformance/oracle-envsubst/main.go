// Command oracle-envsubst computes the expected answers of the envsubst
// conformance vectors with the Go package Flux itself uses
// (github.com/fluxcd/pkg/envsubst, the version pinned in go.mod).
//
// For every DIR/<name>.input.json it writes DIR/<name>.json. Expected outputs
// are never edited by hand: change the input (or the generator) and rerun
//
//	go run . ../subst
package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fluxcd/pkg/envsubst"
	"github.com/fluxcd/pkg/envsubst/parse"
)

const modulePath = "github.com/fluxcd/pkg/envsubst"

// maxTreeInput is the longest input whose parse tree is recorded (file size).
const maxTreeInput = 4096

// maxTreeDepth bounds the nesting of recorded parse trees so that every JSON
// reader (serde_json stops at 128 levels) can load the vector files.
const maxTreeDepth = 40

type inputFile struct {
	Description string      `json:"description"`
	Source      string      `json:"source"`
	Cases       []inputCase `json:"cases"`
}

type inputCase struct {
	Name   string            `json:"name"`
	Input  string            `json:"input"`
	Vars   map[string]string `json:"vars"`
	Strict bool              `json:"strict"`
}

type outputFile struct {
	Description     string       `json:"description"`
	Source          string       `json:"source"`
	EnvsubstModule  string       `json:"envsubst_module"`
	EnvsubstVersion string       `json:"envsubst_version"`
	GoVersion       string       `json:"go_version"`
	UnicodeVersion  string       `json:"unicode_version"`
	GeneratedBy     string       `json:"generated_by"`
	Cases           []outputCase `json:"cases"`
}

type outputCase struct {
	Name   string            `json:"name"`
	Input  string            `json:"input"`
	Vars   map[string]string `json:"vars"`
	Strict bool              `json:"strict"`
	Panics bool              `json:"panics,omitempty"`
	Expect expect            `json:"expect"`
	Tree   []any             `json:"tree,omitempty"`
}

type expect struct {
	// Output is set when the result is valid UTF-8.
	Output *string `json:"output,omitempty"`
	// OutputHex is set instead when the result is not valid UTF-8
	// (byte-based substrings can cut a character in two).
	OutputHex *string `json:"output_hex,omitempty"`
	Error     *errExp `json:"error,omitempty"`
	// Panic holds the recovered panic value when the Go code panics.
	Panic *string `json:"panic,omitempty"`
}

type errExp struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}

// code maps an upstream error onto our stable code.
func code(err error) string {
	switch {
	case errors.Is(err, parse.ErrBadSubstitution):
		return "subst.bad_substitution"
	case errors.Is(err, parse.ErrMissingClosingBrace):
		return "subst.missing_brace"
	case errors.Is(err, parse.ErrParseVariableName):
		return "subst.bad_name"
	case errors.Is(err, parse.ErrParseFuncSubstitution), errors.Is(err, parse.ErrParseDefaultFunction):
		return "subst.bad_function"
	case strings.HasPrefix(err.Error(), "variable not set (strict mode)"):
		return "subst.undefined"
	}
	return "unknown"
}

// eval runs envsubst.Eval the way kustomize-controller does (strict: a
// variable exists only when it is in the map; otherwise every name exists,
// missing ones as ""), turning a panic into a value.
func eval(c inputCase) (out string, err error, panicked *string) {
	defer func() {
		if r := recover(); r != nil {
			s := fmt.Sprint(r)
			panicked = &s
		}
	}()
	out, err = envsubst.Eval(c.Input, func(name string) (string, bool) {
		if c.Strict {
			v, ok := c.Vars[name]
			return v, ok
		}
		return c.Vars[name], true
	})
	return out, err, nil
}

// tree renders the parse tree as JSON values: a top-level list of nodes, each
// {"text": ...} or {"param", "name", "args"}. Nested lists are flattened.
func tree(input string) ([]any, bool) {
	if len(input) > maxTreeInput {
		return nil, false
	}
	t, err := parse.Parse(input)
	if err != nil {
		return nil, false
	}
	var out []any
	ok := true
	var flat func(n parse.Node, depth int) []any
	node := func(n parse.Node, depth int) any {
		if depth > maxTreeDepth {
			ok = false
			return nil
		}
		switch n := n.(type) {
		case *parse.TextNode:
			return map[string]any{"text": n.Value}
		case *parse.FuncNode:
			args := []any{}
			for _, a := range n.Args {
				args = append(args, flat(a, depth+1)...)
			}
			return map[string]any{"param": n.Param, "name": n.Name, "args": args}
		}
		ok = false
		return nil
	}
	flat = func(n parse.Node, depth int) []any {
		var res []any
		for {
			l, isList := n.(*parse.ListNode)
			if !isList {
				break
			}
			// Lists are right-nested pairs: flatten all but the last in place.
			for _, m := range l.Nodes[:len(l.Nodes)-1] {
				res = append(res, flat(m, depth)...)
			}
			n = l.Nodes[len(l.Nodes)-1]
		}
		if tn, isText := n.(*parse.TextNode); isText && tn.Value == "" {
			return res
		}
		return append(res, node(n, depth))
	}
	out = flat(t.Root, 0)
	if out == nil {
		out = []any{}
	}
	return out, ok
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				if d.Replace != nil {
					return d.Version + " => " + d.Replace.Path + " " + d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

func run(in string, ver string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var f inputFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	o := outputFile{
		Description:     f.Description,
		Source:          f.Source,
		EnvsubstModule:  modulePath,
		EnvsubstVersion: ver,
		GoVersion:       runtime.Version(),
		UnicodeVersion:  unicode.Version,
		GeneratedBy:     "conformance/oracle-envsubst (cd conformance/oracle-envsubst && go run . ../subst)",
		Cases:           []outputCase{},
	}
	seen := map[string]bool{}
	for _, c := range f.Cases {
		if seen[c.Name] {
			return fmt.Errorf("%s: duplicate case name %q", in, c.Name)
		}
		seen[c.Name] = true
		if c.Vars == nil {
			c.Vars = map[string]string{}
		}
		oc := outputCase{Name: c.Name, Input: c.Input, Vars: c.Vars, Strict: c.Strict}
		out, err, p := eval(c)
		switch {
		case p != nil:
			oc.Panics = true
			oc.Expect.Panic = p
		case err != nil:
			oc.Expect.Error = &errExp{Message: err.Error(), Code: code(err)}
		case utf8.ValidString(out):
			oc.Expect.Output = &out
		default:
			h := hex.EncodeToString([]byte(out))
			oc.Expect.OutputHex = &h
		}
		if t, ok := tree(c.Input); ok {
			oc.Tree = t
		}
		o.Cases = append(o.Cases, oc)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(o); err != nil {
		return err
	}
	outPath := strings.TrimSuffix(in, ".input.json") + ".json"
	return os.WriteFile(outPath, b.Bytes(), 0o644)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . DIR   (reads DIR/*.input.json, writes DIR/*.json)")
		os.Exit(2)
	}
	ins, err := filepath.Glob(filepath.Join(os.Args[1], "*.input.json"))
	if err != nil || len(ins) == 0 {
		fmt.Fprintln(os.Stderr, "no *.input.json files in", os.Args[1])
		os.Exit(1)
	}
	sort.Strings(ins)
	ver := version()
	for _, in := range ins {
		if err := run(in, ver); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", strings.TrimSuffix(in, ".input.json")+".json")
	}
}
