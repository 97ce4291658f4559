// Command oracle-artifact builds directory trees described in
// ../artifact/trees.input.json and archives each of them with the artifact
// storage code of github.com/fluxcd/pkg/artifact (the version pinned by
// source-controller v1.9.1, Flux 2.9), with the ignore patterns loaded the
// way source-controller's GitRepository reconciler loads them. It writes
// ../artifact/generated.json: per tree, the uncompressed tar stream (base64
// and sha256), the gzip digest and size that Archive recorded, and the
// number of regular files in the stream.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/artifact/storage"
	"github.com/fluxcd/pkg/sourceignore"
)

type entry struct {
	Path    string `json:"path"`
	Type    string `json:"type"` // file (default), dir, symlink
	Content string `json:"content,omitempty"`
	// Repeat, when set, appends Content repeated this many times instead of Content once.
	Repeat int    `json:"repeat,omitempty"`
	Mode   string `json:"mode,omitempty"` // octal, e.g. "0755"
	Target string `json:"target,omitempty"`
	// Random, when set, is the content: Size bytes of a xorshift32 sequence
	// started at Seed, each byte the low 8 bits of the state, or, with an
	// Alphabet, its byte at state % len(Alphabet).
	Random *random `json:"random,omitempty"`
}

type random struct {
	Seed     uint32 `json:"seed"`
	Size     int    `json:"size"`
	Alphabet string `json:"alphabet"`
}

func (r random) bytes() []byte {
	out := make([]byte, r.Size)
	x := r.Seed
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		if r.Alphabet == "" {
			out[i] = byte(x)
		} else {
			out[i] = r.Alphabet[x%uint32(len(r.Alphabet))]
		}
	}
	return out
}

type tree struct {
	Name    string  `json:"name"`
	Doc     string  `json:"doc,omitempty"`
	Entries []entry `json:"entries"`
	Ignore  *string `json:"ignore"`
}

type result struct {
	tree
	TarSHA256 string `json:"tar_sha256"`
	TarSize   int    `json:"tar_size"`
	// TarBase64 is empty for streams over 256 KiB (compare by TarSHA256).
	TarBase64 string   `json:"tar_base64"`
	Names     []string `json:"names"`
	Files     int      `json:"files"`
	Digest    string   `json:"digest"`
	Size      int64    `json:"size"`
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func parseMode(s string, def os.FileMode) os.FileMode {
	if s == "" {
		return def
	}
	var m uint32
	_, err := fmt.Sscanf(s, "%o", &m)
	must(err)
	return os.FileMode(m)
}

func build(root string, t tree) {
	for _, e := range t.Entries {
		p := filepath.Join(root, filepath.FromSlash(e.Path))
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		switch e.Type {
		case "dir":
			must(os.MkdirAll(p, 0o755))
			must(os.Chmod(p, parseMode(e.Mode, 0o755)))
		case "symlink":
			must(os.Symlink(e.Target, p))
		default:
			content := []byte(e.Content)
			if e.Repeat > 0 {
				content = []byte(strings.Repeat(e.Content, e.Repeat))
			}
			if e.Random != nil {
				content = e.Random.bytes()
			}
			must(os.WriteFile(p, content, 0o644))
			must(os.Chmod(p, parseMode(e.Mode, 0o644)))
		}
	}
}

func run(t tree) result {
	work, err := os.MkdirTemp("", "oracle-artifact-")
	must(err)
	defer os.RemoveAll(work)
	dir := filepath.Join(work, "checkout")
	must(os.Mkdir(dir, 0o755))
	build(dir, t)

	// As GitRepositoryReconciler.reconcileArtifact loads them.
	ignoreDomain := strings.Split(dir, string(filepath.Separator))
	ps, err := sourceignore.LoadIgnorePatterns(dir, ignoreDomain)
	must(err)
	if t.Ignore != nil {
		ps = append(ps, sourceignore.ReadPatterns(strings.NewReader(*t.Ignore), ignoreDomain)...)
	}

	base := filepath.Join(work, "storage")
	st := storage.Storage{BasePath: base}
	art := meta.Artifact{Path: storage.ArtifactPath("GitRepository", "default", t.Name, "0123456789abcdef0123456789abcdef01234567.tar.gz")}
	must(os.MkdirAll(filepath.Dir(st.LocalPath(art)), 0o755))
	must(st.Archive(&art, dir, storage.SourceIgnoreFilter(ps, ignoreDomain)))

	gz, err := os.ReadFile(st.LocalPath(art))
	must(err)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	must(err)
	raw, err := io.ReadAll(zr)
	must(err)

	var names []string
	files := 0
	tr := tar.NewReader(bytes.NewReader(raw))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		must(err)
		names = append(names, h.Name)
		if h.Typeflag == tar.TypeReg {
			files++
		}
	}
	sum := sha256.Sum256(raw)
	return result{
		tree:      t,
		TarSHA256: hex.EncodeToString(sum[:]),
		TarSize:   len(raw),
		TarBase64: b64(raw),
		Names:     names,
		Files:     files,
		Digest:    art.Digest,
		Size:      *art.Size,
	}
}

func main() {
	in, err := os.ReadFile("../artifact/trees.input.json")
	must(err)
	var trees []tree
	must(json.Unmarshal(in, &trees))
	var out []result
	for _, t := range trees {
		out = append(out, run(t))
	}
	b, err := json.MarshalIndent(out, "", "  ")
	must(err)
	must(os.WriteFile("../artifact/generated.json", append(b, '\n'), 0o644))
	fmt.Printf("wrote ../artifact/generated.json (%d trees)\n", len(out))
}

func b64(raw []byte) string {
	if len(raw) > 256*1024 {
		return ""
	}
	return base64.StdEncoding.EncodeToString(raw)
}
