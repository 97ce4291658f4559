package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/fluxcd/pkg/envsubst"
	"github.com/fluxcd/pkg/kustomize"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/kustomize/api/resource"
)

const (
	benchNamespace = "flux-system"
	benchVarsName  = "cluster-vars"
)

type benchReport struct {
	EnvsubstNsPerIter int64 `json:"envsubst_ns_per_iter"`
	PipelineNsPerIter int64 `json:"pipeline_ns_per_iter"`
	BuildNs           int64 `json:"build_ns"`
	Resources         int   `json:"resources"`
	Bytes             int   `json:"bytes"`
	Iterations        int   `json:"iterations"`
}

// runBench times (a) envsubst.Eval over the whole stream (strict, map lookup)
// and (b) the per-resource pipeline of kustomize-controller: SubstituteVariables
// (reading the variables from one ConfigMap through a fake client) followed by
// AsYAML of the result. The kustomize build of the stream is timed once and
// reported separately (build_ns); copying the built resources before each
// iteration is not timed.
func runBench(streamPath, varsPath, iterArg string) error {
	stream, err := os.ReadFile(streamPath)
	if err != nil {
		return err
	}
	varsData, err := os.ReadFile(varsPath)
	if err != nil {
		return err
	}
	var vars map[string]string
	if err := json.Unmarshal(varsData, &vars); err != nil {
		return fmt.Errorf("%s: %w", varsPath, err)
	}
	n, err := strconv.Atoi(iterArg)
	if err != nil || n < 1 {
		return fmt.Errorf("iterations must be a positive integer, got %q", iterArg)
	}
	rep := benchReport{Bytes: len(stream), Iterations: n}

	// (a) envsubst over the whole text.
	text := string(stream)
	lookup := func(s string) (string, bool) {
		v, ok := vars[s]
		return v, ok
	}
	if _, err := envsubst.Eval(text, lookup); err != nil {
		return fmt.Errorf("envsubst: %w", err)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := envsubst.Eval(text, lookup); err != nil {
			return err
		}
	}
	rep.EnvsubstNsPerIter = time.Since(start).Nanoseconds() / int64(n)

	// (b) the pipeline.
	start = time.Now()
	m, err := build(stream)
	if err != nil {
		return fmt.Errorf("kustomize build: %w", err)
	}
	rep.BuildNs = time.Since(start).Nanoseconds()
	built := m.Resources()
	rep.Resources = len(built)

	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: benchVarsName, Namespace: benchNamespace},
		Data:       vars,
	}
	kube := fake.NewClientBuilder().WithObjects(cm).Build()
	ks := unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
		"kind":       "Kustomization",
		"metadata":   map[string]any{"name": "apps", "namespace": benchNamespace},
		"spec": map[string]any{
			"postBuild": map[string]any{
				"substituteFrom": []any{
					map[string]any{"kind": "ConfigMap", "name": benchVarsName},
				},
			},
		},
	}}
	ctx := context.Background()
	var total time.Duration
	work := make([]*resource.Resource, len(built))
	for i := 0; i < n; i++ {
		for j, r := range built {
			work[j] = r.DeepCopy()
		}
		start = time.Now()
		for _, r := range work {
			out, err := kustomize.SubstituteVariables(ctx, kube, ks, r,
				kustomize.SubstituteWithStrict(true))
			if err != nil {
				return fmt.Errorf("post build failed for '%s/%s': %w", r.GetGvk(), r.GetName(), err)
			}
			if out == nil {
				out = r
			}
			if _, err := out.AsYAML(); err != nil {
				return err
			}
		}
		total += time.Since(start)
	}
	rep.PipelineNsPerIter = total.Nanoseconds() / int64(n)

	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}
