// Command oracle-release computes the expected answers of the Helm release
// name conformance vectors with the Go code helm-controller v1.6.3 runs:
//
//   - the getters of github.com/fluxcd/helm-controller/api/v2 (GetReleaseName,
//     GetReleaseNamespace, GetStorageNamespace, GetHelmChartName), imported;
//   - ShortenName of helm-controller's internal/release and ValidateReleaseName
//     of helm.sh/helm/v4 pkg/chart/v2/util, compiled from the module cache
//     through `go build -overlay` (see run.sh and README.md).
//
// The HelmChart namespace (the chart sourceRef's namespace, else the
// HelmRelease's) lives in helm-controller's internal/reconcile, which pulls
// in the whole controller; it is re-stated here in one line.
//
// Usage (always through run.sh):
//
//	./run.sh DIR             for every DIR/<name>.input.json write DIR/<name>.json
//	./run.sh gen DIR         write DIR/generated.input.json (deterministic)
//	./run.sh bench FILE      time ShortenName on every line of FILE; prints best ns
package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	v2 "github.com/fluxcd/helm-controller/api/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	hcrelease "github.com/fluxcd-core/fluxcd-core/conformance/oracle-release/upstream/hcrelease"
	helmutil "github.com/fluxcd-core/fluxcd-core/conformance/oracle-release/upstream/helmutil"
)

// hrInput is the part of a HelmRelease the rules read.
type hrInput struct {
	Name                 string `json:"name"`
	Namespace            string `json:"namespace"`
	ReleaseName          string `json:"releaseName,omitempty"`
	TargetNamespace      string `json:"targetNamespace,omitempty"`
	StorageNamespace     string `json:"storageNamespace,omitempty"`
	ChartSourceNamespace string `json:"chartSourceNamespace,omitempty"`
	ChartRef             bool   `json:"chartRef,omitempty"`
}

type testCase struct {
	Name    string   `json:"name"`
	Shorten *string  `json:"shorten,omitempty"`
	HR      *hrInput `json:"hr,omitempty"`
	Expect  *expect  `json:"expect,omitempty"`
}

type expect struct {
	Composed         string  `json:"composed,omitempty"`
	Short            *string `json:"short"`
	ShortHex         string  `json:"shortHex"`
	HelmError        string  `json:"helmError"`
	ReleaseNamespace string  `json:"releaseNamespace,omitempty"`
	StorageNamespace string  `json:"storageNamespace,omitempty"`
	HelmChart        *string `json:"helmChart,omitempty"`
}

type file struct {
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Meta        map[string]string `json:"meta,omitempty"`
	Cases       []testCase        `json:"cases"`
}

func shortened(name string) (*string, string, string) {
	s := hcrelease.ShortenName(name)
	errText := ""
	if err := helmutil.ValidateReleaseName(s); err != nil {
		errText = err.Error()
	}
	var text *string
	if utf8.ValidString(s) {
		text = &s
	}
	return text, hex.EncodeToString([]byte(s)), errText
}

func evaluate(c *testCase) {
	e := &expect{}
	if c.Shorten != nil {
		e.Short, e.ShortHex, e.HelmError = shortened(*c.Shorten)
		c.Expect = e
		return
	}
	in := c.HR
	hr := v2.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: in.Name, Namespace: in.Namespace}}
	hr.Spec.ReleaseName = in.ReleaseName
	hr.Spec.TargetNamespace = in.TargetNamespace
	hr.Spec.StorageNamespace = in.StorageNamespace
	if in.ChartRef {
		hr.Spec.ChartRef = &v2.CrossNamespaceSourceReference{Kind: "OCIRepository", Name: "chart"}
	} else {
		hr.Spec.Chart = &v2.HelmChartTemplate{Spec: v2.HelmChartTemplateSpec{
			Chart:     "chart",
			SourceRef: v2.CrossNamespaceObjectReference{Kind: "HelmRepository", Name: "repo", Namespace: in.ChartSourceNamespace},
		}}
	}
	e.Composed = hr.GetReleaseName()
	e.Short, e.ShortHex, e.HelmError = shortened(e.Composed)
	e.ReleaseNamespace = hr.GetReleaseNamespace()
	e.StorageNamespace = hr.GetStorageNamespace()
	if hr.Spec.Chart != nil {
		ns := hr.Spec.Chart.Spec.SourceRef.Namespace
		if ns == "" {
			ns = hr.Namespace
		}
		s := ns + "/" + hr.GetHelmChartName()
		e.HelmChart = &s
	}
	c.Expect = e
}

func writeJSON(path string, f *file) {
	var buf bytes.Buffer
	buf.WriteString("{\n")
	head, _ := json.Marshal(f.Description)
	src, _ := json.Marshal(f.Source)
	fmt.Fprintf(&buf, "  \"description\": %s,\n  \"source\": %s,\n", head, src)
	if f.Meta != nil {
		m, _ := json.Marshal(f.Meta)
		fmt.Fprintf(&buf, "  \"meta\": %s,\n", m)
	}
	buf.WriteString("  \"cases\": [\n")
	for i, c := range f.Cases {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		buf.WriteString("    ")
		var line bytes.Buffer
		e2 := json.NewEncoder(&line)
		e2.SetEscapeHTML(false)
		_ = e2.Encode(c)
		buf.Write(bytes.TrimRight(line.Bytes(), "\n"))
		_ = enc
		if i+1 < len(f.Cases) {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("  ]\n}\n")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		panic(err)
	}
}

func regenerate(dir string) {
	inputs, _ := filepath.Glob(filepath.Join(dir, "*.input.json"))
	for _, in := range inputs {
		raw, err := os.ReadFile(in)
		if err != nil {
			panic(err)
		}
		var f file
		if err := json.Unmarshal(raw, &f); err != nil {
			panic(fmt.Sprintf("%s: %v", in, err))
		}
		for i := range f.Cases {
			evaluate(&f.Cases[i])
		}
		f.Meta = map[string]string{
			"helm_controller_version": "v1.6.3",
			"helm_version":            "v4.2.2",
			"go_version":              runtime.Version(),
			"generated_by":            "conformance/oracle-release/run.sh",
		}
		out := strings.TrimSuffix(in, ".input.json") + ".json"
		writeJSON(out, &f)
		fmt.Printf("%s: %d cases\n", out, len(f.Cases))
	}
}

func bench(path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	names := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	best := time.Duration(1 << 62)
	sink := 0
	for round := 0; round < 10; round++ {
		start := time.Now()
		for _, n := range names {
			sink += len(hcrelease.ShortenName(n))
		}
		if d := time.Since(start); d < best {
			best = d
		}
	}
	fmt.Fprintf(os.Stderr, "%d names, checksum %d\n", len(names), sink)
	fmt.Println(best.Nanoseconds())
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "bench" {
		bench(os.Args[2])
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "gen" {
		generate(os.Args[2])
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: run.sh DIR | run.sh gen DIR | run.sh bench FILE")
		os.Exit(2)
	}
	regenerate(os.Args[1])
}
