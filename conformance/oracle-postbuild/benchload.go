package main

// bench-load: the Go side of the "corpus load + type" row of
// benches/compare.sh. Reads every .yaml/.yml file under DIR (skipping .git),
// splits each into documents at "---" lines, reads each document with
// sigs.k8s.io/yaml (as the controllers read manifests) and decodes Flux
// Kustomizations into the kustomize-controller v1 API type, everything else
// into map[string]interface{} (the other Flux API modules are not dependencies
// of this oracle). Prints the median of N runs in nanoseconds, as JSON.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	"sigs.k8s.io/yaml"
)

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

func splitLoadDocs(text string) []string {
	var docs []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.TrimRight(line, " \r\n") == "---" || strings.HasPrefix(line, "--- ") {
			docs = append(docs, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	return append(docs, cur.String())
}

func loadOnce(files [][]byte) (objects, typed int) {
	for _, data := range files {
		for _, doc := range splitLoadDocs(string(data)) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var tm typeMeta
			if err := yaml.Unmarshal([]byte(doc), &tm); err != nil || tm.Kind == "" {
				continue
			}
			objects++
			if tm.Kind == "Kustomization" && strings.HasPrefix(tm.APIVersion, "kustomize.toolkit.fluxcd.io/") {
				var k kustomizev1.Kustomization
				if yaml.Unmarshal([]byte(doc), &k) == nil {
					typed++
				}
				continue
			}
			var m map[string]interface{}
			_ = yaml.Unmarshal([]byte(doc), &m)
		}
	}
	return
}

func runBenchLoad(dir, nArg string) error {
	n, err := strconv.Atoi(nArg)
	if err != nil || n < 1 {
		return fmt.Errorf("bad N %q", nArg)
	}
	var files [][]byte
	bytes := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files = append(files, b)
			bytes += len(b)
		}
		return nil
	})
	if err != nil {
		return err
	}
	times := make([]int64, 0, n)
	objects, typed := 0, 0
	for i := 0; i < n; i++ {
		start := time.Now()
		objects, typed = loadOnce(files)
		times = append(times, time.Since(start).Nanoseconds())
	}
	sort.Slice(times, func(a, b int) bool { return times[a] < times[b] })
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"median_ns": times[len(times)/2],
		"files":     len(files),
		"bytes":     bytes,
		"objects":   objects,
		"typed":     typed,
	})
}
