// Command oracle-signature computes the expected answers of the signature
// conformance vectors with the Go code source-controller v1.9.1 (Flux 2.9) runs:
// go-git v5.19.1 decodes the raw commit and tag objects and gives the signature
// and the signed bytes (EncodeWithoutSignature), fluxcd/pkg/git v0.52.0 detects
// the signature type and verifies it (Commit/Tag VerifyPGP and VerifySSH, which
// use ProtonMail/go-crypto and hiddeco/sshsig), and the mode comes from
// GitRepositoryVerification.GetMode of source-controller/api v1.9.1.
//
// The controller's own glue (verifySignature: which objects a mode checks, the
// key sorting by Secret key suffix, and the message texts) lives in an internal
// package that cannot be imported; it is re-stated below from its behaviour.
// Secret keys are visited in sorted order (Go's map order is random there).
//
// For every DIR/<name>.input.json it writes DIR/<name>.json:
//
//	go run . ../signature
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/fluxcd/pkg/git"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

type gitObject struct {
	Kind   string `json:"kind"`
	Raw    string `json:"raw"`
	Hash   string `json:"hash,omitempty"`
	Name   string `json:"name,omitempty"`
	Commit string `json:"commit,omitempty"`
}

type testCase struct {
	Name      string  `json:"name"`
	Verify    string  `json:"verify"`
	Object    string  `json:"object"`
	Secret    string  `json:"secret"`
	Mode      string  `json:"mode,omitempty"`
	TagObject *string `json:"tagObject,omitempty"`
	Reference *string `json:"reference,omitempty"`
	Expect    *expect `json:"expect,omitempty"`
}

type expect struct {
	// KeyID for a verified commit or tag.
	KeyID string `json:"keyId,omitempty"`
	// Label of a verified tag (name@hash, Tag.String()).
	Label string `json:"label,omitempty"`
	// Message of SourceVerified=True for a checkout.
	Message string `json:"message,omitempty"`
	// Mode recorded in status.sourceVerificationMode for a checkout.
	Mode string `json:"mode,omitempty"`
	// Skipped: mode empty, verification not done.
	Skipped bool `json:"skipped,omitempty"`
	// Error is the message of the error, Reason its condition reason.
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type file struct {
	Description string                       `json:"description"`
	Source      string                       `json:"source"`
	Upstream    map[string]string            `json:"upstream,omitempty"`
	GoVersion   string                       `json:"go_version,omitempty"`
	GeneratedBy string                       `json:"generated_by,omitempty"`
	Keys        map[string]string            `json:"keys"`
	Secrets     map[string]map[string]string `json:"secrets"`
	Objects     map[string]gitObject         `json:"objects"`
	Cases       []testCase                   `json:"cases"`
}

func decode(o gitObject) (plumbing.EncodedObject, error) {
	raw, err := base64.StdEncoding.DecodeString(o.Raw)
	if err != nil {
		return nil, err
	}
	mo := &plumbing.MemoryObject{}
	if o.Kind == "commit" {
		mo.SetType(plumbing.CommitObject)
	} else {
		mo.SetType(plumbing.TagObject)
	}
	if _, err := mo.Write(raw); err != nil {
		return nil, err
	}
	return mo, nil
}

func readAll(o plumbing.EncodedObject) ([]byte, error) {
	r, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// commitOf builds the git.Commit the clone would return (as fluxcd/pkg's build
// helper does: hash, reference, signature and the bytes without signature).
func commitOf(o gitObject, ref string) (*git.Commit, error) {
	enc, err := decode(o)
	if err != nil {
		return nil, err
	}
	c := &object.Commit{}
	if err := c.Decode(enc); err != nil {
		return nil, err
	}
	stripped := &plumbing.MemoryObject{}
	if err := c.EncodeWithoutSignature(stripped); err != nil {
		return nil, err
	}
	b, err := readAll(stripped)
	if err != nil {
		return nil, err
	}
	return &git.Commit{
		Hash:      []byte(c.Hash.String()),
		Reference: ref,
		Signature: c.PGPSignature,
		Encoded:   b,
		Message:   c.Message,
	}, nil
}

// tagOf builds the git.Tag of an annotated tag object.
func tagOf(o gitObject) (*git.Tag, error) {
	enc, err := decode(o)
	if err != nil {
		return nil, err
	}
	t := &object.Tag{}
	if err := t.Decode(enc); err != nil {
		return nil, err
	}
	stripped := &plumbing.MemoryObject{}
	if err := t.EncodeWithoutSignature(stripped); err != nil {
		return nil, err
	}
	b, err := readAll(stripped)
	if err != nil {
		return nil, err
	}
	return &git.Tag{
		Hash:      []byte(t.Hash.String()),
		Name:      t.Name,
		Signature: t.PGPSignature,
		Encoded:   b,
		Message:   t.Message,
	}, nil
}

type signer interface {
	SignatureType() string
	VerifyPGP(keyRings ...string) (string, error)
	VerifySSH(authorizedKeys ...string) (string, error)
}

// dispatch verifies obj by its signature type with the matching keys.
func dispatch(obj signer, keyRings, authorizedKeys []string) (string, error) {
	switch t := obj.SignatureType(); t {
	case "openpgp":
		if len(keyRings) == 0 {
			return "", errors.New("PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)")
		}
		return obj.VerifyPGP(keyRings...)
	case "ssh":
		if len(authorizedKeys) == 0 {
			return "", errors.New("SSH signature detected but no SSH public keys found in secret (keys with .sshpub suffix)")
		}
		return obj.VerifySSH(authorizedKeys...)
	default:
		return "", fmt.Errorf("unsupported signature type: %s", t)
	}
}

// keysOf sorts a Secret's data by key suffix, visiting keys in sorted order.
func keysOf(f *file, secret string) (keyRings, authorizedKeys []string) {
	data := f.Secrets[secret]
	names := make([]string, 0, len(data))
	for k := range data {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := f.Keys[data[k]]
		if strings.HasSuffix(k, ".sshpub") {
			authorizedKeys = append(authorizedKeys, v)
		} else {
			keyRings = append(keyRings, v)
		}
	}
	return
}

func run(f *file, c *testCase) (*expect, error) {
	keyRings, authorizedKeys := keysOf(f, c.Secret)
	switch c.Verify {
	case "commit":
		commit, err := commitOf(f.Objects[c.Object], "")
		if err != nil {
			return nil, err
		}
		id, err := dispatch(commit, keyRings, authorizedKeys)
		if err != nil {
			return &expect{Error: fmt.Sprintf("signature verification of commit '%s' failed: %s", commit.Hash.String(), err), Reason: "InvalidCommitSignature"}, nil
		}
		return &expect{KeyID: id}, nil
	case "tag":
		tag, err := tagOf(f.Objects[c.Object])
		if err != nil {
			return nil, err
		}
		id, err := dispatch(tag, keyRings, authorizedKeys)
		if err != nil {
			return &expect{Label: tag.String(), Error: fmt.Sprintf("signature verification of tag '%s' failed: %s", tag.String(), err), Reason: "InvalidTagSignature"}, nil
		}
		return &expect{Label: tag.String(), KeyID: id}, nil
	case "checkout":
		return checkout(f, c, keyRings, authorizedKeys)
	}
	return nil, fmt.Errorf("unknown verify %q", c.Verify)
}

func checkout(f *file, c *testCase, keyRings, authorizedKeys []string) (*expect, error) {
	if c.Mode == "" {
		return &expect{Skipped: true}, nil
	}
	ref := ""
	if c.Reference != nil {
		ref = *c.Reference
	}
	commit, err := commitOf(f.Objects[c.Object], ref)
	if err != nil {
		return nil, err
	}
	if plumbing.ReferenceName(ref).IsTag() {
		if c.TagObject != nil {
			if commit.ReferencingTag, err = tagOf(f.Objects[*c.TagObject]); err != nil {
				return nil, err
			}
		} else {
			commit.ReferencingTag = &git.Tag{Name: plumbing.ReferenceName(ref).Short()}
		}
	}
	v := &sourcev1.GitRepositoryVerification{Mode: sourcev1.GitVerificationMode(c.Mode)}
	var msg strings.Builder
	if v.VerifyTag() {
		tag := commit.ReferencingTag
		if tag == nil {
			return &expect{Error: "cannot verify tag object's signature if a tag reference is not specified", Reason: "InvalidVerificationMode"}, nil
		}
		if !git.IsSignedTag(*tag) {
			return &expect{Error: fmt.Sprintf("cannot verify signature of tag '%s' since it is not signed", tag.String()), Reason: "InvalidGitObject"}, nil
		}
		id, err := dispatch(tag, keyRings, authorizedKeys)
		if err != nil {
			return &expect{Error: fmt.Sprintf("signature verification of tag '%s' failed: %s", tag.String(), err), Reason: "InvalidTagSignature"}, nil
		}
		fmt.Fprintf(&msg, "verified signature of\n\t- tag '%s' with key '%s'", tag.String(), id)
	}
	if v.VerifyHEAD() {
		id, err := dispatch(commit, keyRings, authorizedKeys)
		if err != nil {
			return &expect{Error: fmt.Sprintf("signature verification of commit '%s' failed: %s", commit.Hash.String(), err), Reason: "InvalidCommitSignature"}, nil
		}
		if msg.Len() > 0 {
			fmt.Fprintf(&msg, "\n\t- commit '%s' with key '%s'", commit.Hash.String(), id)
		} else {
			fmt.Fprintf(&msg, "verified signature of\n\t- commit '%s' with key '%s'", commit.Hash.String(), id)
		}
	}
	return &expect{Message: msg.String(), Mode: string(v.GetMode())}, nil
}

func moduleVersions() map[string]string {
	out := map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/fluxcd/pkg/git", "github.com/go-git/go-git/v5", "github.com/ProtonMail/go-crypto",
				"github.com/hiddeco/sshsig", "golang.org/x/crypto", "github.com/fluxcd/source-controller/api":
				out[d.Path] = d.Version
			}
		}
	}
	return out
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle-signature DIR")
		os.Exit(2)
	}
	inputs, _ := filepath.Glob(filepath.Join(os.Args[1], "*.input.json"))
	for _, in := range inputs {
		raw, err := os.ReadFile(in)
		if err != nil {
			panic(err)
		}
		var f file
		if err := json.Unmarshal(raw, &f); err != nil {
			panic(fmt.Errorf("%s: %w", in, err))
		}
		for i := range f.Cases {
			e, err := run(&f, &f.Cases[i])
			if err != nil {
				panic(fmt.Errorf("%s: case %s: %w", in, f.Cases[i].Name, err))
			}
			f.Cases[i].Expect = e
		}
		f.Upstream = moduleVersions()
		f.GoVersion = runtime.Version()
		f.GeneratedBy = "conformance/oracle-signature (cd conformance/oracle-signature && go run . ../signature)"
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(&f); err != nil {
			panic(err)
		}
		out := strings.TrimSuffix(in, ".input.json") + ".json"
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d cases\n", out, len(f.Cases))
	}
}
