package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	"github.com/fluxcd/pkg/kustomize"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/yaml"
)

// varNamePattern is the pattern pkg/kustomize validates variable names with
// (its constant is unexported; the oracle checks below that every recorded
// invalid-name error is one this pattern predicts).
const varNamePattern = "^[_[:alpha:]][_[:alpha:][:digit:]]*$"

var varNameRe = regexp.MustCompile(varNamePattern)

// invalidNameRetries bounds the reruns used to observe the error for the
// smallest invalid name (upstream picks one by iterating a Go map).
const invalidNameRetries = 2000

type pbCase struct {
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	Kustomization string `json:"kustomization"`
	Cluster       string `json:"cluster"`
	Resources     string `json:"resources"`
	Strict        bool   `json:"strict"`
	DryRun        bool   `json:"dry_run,omitempty"`
	// Always, when set, is passed to SubstituteWithAlways instead of the
	// value derived from spec.postBuild.substituteStrategy.
	Always *bool `json:"always,omitempty"`
	// Direct calls SubstituteVariables even when spec.postBuild is absent
	// (the pkg/kustomize unit tests call the function directly).
	Direct bool `json:"direct,omitempty"`
}

type pbResult struct {
	Kind            string  `json:"kind"`
	Namespace       string  `json:"namespace"`
	Name            string  `json:"name"`
	Emitted         string  `json:"emitted"`
	Outcome         string  `json:"outcome"`
	JSON            *string `json:"json,omitempty"`
	Error           *string `json:"error,omitempty"`
	ControllerError *string `json:"controller_error,omitempty"`
	// CheckError is set when kustomize-controller rejects the built resource
	// before any substitution (empty apiVersion, kind or name).
	CheckError *string `json:"check_error,omitempty"`
}

type pbOut struct {
	pbCase
	KustomizationError *string           `json:"kustomization_error,omitempty"`
	ClusterError       *string           `json:"cluster_error,omitempty"`
	BuildError         *string           `json:"build_error,omitempty"`
	PostBuild          bool              `json:"post_build"`
	SubstituteAlways   bool              `json:"substitute_always"`
	Vars               map[string]string `json:"vars,omitempty"`
	VarsError          *string           `json:"vars_error,omitempty"`
	InvalidNames       []string          `json:"invalid_names"`
	Results            []pbResult        `json:"results"`
}

func strp(s string) *string { return &s }

// splitDocs splits a multi-document YAML stream the way the Kubernetes
// tooling does, dropping documents that hold no object.
func splitDocs(stream string) ([][]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(stream)))
	var docs [][]byte
	for {
		d, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		var probe any
		if err := yaml.Unmarshal(d, &probe); err != nil {
			return nil, err
		}
		if probe == nil {
			continue
		}
		docs = append(docs, bytes.Clone(d))
	}
}

// decodeObject decodes one YAML document into a typed object the way it
// reaches the API server from kubectl or flux: YAML to JSON (YAML 1.1 rules,
// no knowledge of the target type), then case-sensitive JSON decoding. A value
// of the wrong JSON type (an unquoted number in a string map) is an error, as
// the API server's schema validation would make it.
func decodeObject(doc []byte, into any) error {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	return sigsjson.UnmarshalCaseSensitivePreserveInts(j, into)
}

// clusterObjects decodes the ConfigMaps and Secrets of the case as the API
// server would store them: a Secret's `data` is base64-decoded by the JSON
// decoding of []byte, then `stringData` is merged over `data` (stringData
// wins) and cleared.
func clusterObjects(stream string) ([]client.Object, error) {
	docs, err := splitDocs(stream)
	if err != nil {
		return nil, err
	}
	var objs []client.Object
	for _, d := range docs {
		var tm metav1.TypeMeta
		if err := decodeObject(d, &tm); err != nil {
			return nil, err
		}
		switch tm.Kind {
		case "ConfigMap":
			cm := &corev1.ConfigMap{}
			if err := decodeObject(d, cm); err != nil {
				return nil, err
			}
			objs = append(objs, cm)
		case "Secret":
			s := &corev1.Secret{}
			if err := decodeObject(d, s); err != nil {
				return nil, err
			}
			if len(s.StringData) > 0 && s.Data == nil {
				s.Data = map[string][]byte{}
			}
			for k, v := range s.StringData {
				s.Data[k] = []byte(v)
			}
			s.StringData = nil
			objs = append(objs, s)
		default:
			return nil, fmt.Errorf("cluster object of kind %q is not supported (ConfigMap or Secret)", tm.Kind)
		}
	}
	return objs, nil
}

// effectiveVars mirrors what SubstituteVariables collects, for the record:
// LoadVariables (unless dry-run), then the inline map with newlines removed.
func effectiveVars(ctx context.Context, c client.Client, u unstructured.Unstructured, dryRun bool) (map[string]string, error) {
	var vars map[string]string
	if !dryRun {
		v, err := kustomize.LoadVariables(ctx, c, u)
		if err != nil {
			return nil, err
		}
		vars = v
	}
	inline, ok, err := unstructured.NestedStringMap(u.Object, "spec", "postBuild", "substitute")
	if err != nil {
		return nil, err
	}
	if ok {
		if vars == nil {
			vars = map[string]string{}
		}
		for k, v := range inline {
			vars[k] = strings.ReplaceAll(v, "\n", "")
		}
	}
	return vars, nil
}

func invalidNames(vars map[string]string) []string {
	out := []string{}
	for k := range vars {
		if !varNameRe.MatchString(k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func invalidNameMessage(name string) string {
	return fmt.Sprintf("envsubst error: '%s' var name is invalid, must match '%s'", name, varNamePattern)
}

func controllerError(res *resource.Resource, err error) string {
	return fmt.Errorf("post build failed for '%s/%s': %w", res.GetGvk(), res.GetName(), err).Error()
}

func runPostBuild(raw []byte) (any, error) {
	var c pbCase
	if err := decodeStrict(raw, &c); err != nil {
		return nil, err
	}
	o := pbOut{pbCase: c, InvalidNames: []string{}, Results: []pbResult{}}
	ctx := context.Background()

	// The Flux Kustomization, typed then converted, as the controller does.
	var k kustomizev1.Kustomization
	if err := decodeObject([]byte(c.Kustomization), &k); err != nil {
		o.KustomizationError = strp(err.Error())
		return o, nil
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&k)
	if err != nil {
		o.KustomizationError = strp(err.Error())
		return o, nil
	}
	u := unstructured.Unstructured{Object: obj}
	o.PostBuild = k.Spec.PostBuild != nil || c.Direct
	o.SubstituteAlways = k.GetSubstituteStrategy() == kustomizev1.SubstituteStrategyAlways
	if c.Always != nil {
		o.SubstituteAlways = *c.Always
	}

	objs, err := clusterObjects(c.Cluster)
	if err != nil {
		o.ClusterError = strp(err.Error())
		return o, nil
	}
	kube := fake.NewClientBuilder().WithObjects(objs...).Build()

	m, err := build([]byte(c.Resources))
	if err != nil {
		o.BuildError = strp(err.Error())
		return o, nil
	}

	vars, verr := effectiveVars(ctx, kube, u, c.DryRun)
	if verr != nil {
		o.VarsError = strp(verr.Error())
	} else {
		o.Vars = vars
		o.InvalidNames = invalidNames(vars)
	}
	runs := verr == nil && (len(vars) > 0 || o.SubstituteAlways)

	opts := []kustomize.SubstituteOption{
		kustomize.SubstituteWithStrict(c.Strict),
		kustomize.SubstituteWithAlways(o.SubstituteAlways),
		kustomize.SubstituteWithDryRun(c.DryRun),
	}

	for _, res := range m.Resources() {
		r := pbResult{Kind: res.GetKind(), Namespace: res.GetNamespace(), Name: res.GetName()}
		y, err, stable := stableEmit(res.AsYAML)
		if err != nil {
			return nil, fmt.Errorf("AsYAML of built resource: %w", err)
		}
		if !stable {
			return nil, fmt.Errorf("AsYAML of %s/%s is not deterministic (go-yaml v2 key order); change the input", res.GetKind(), res.GetName())
		}
		r.Emitted = y
		if res.GetName() == "" || res.GetKind() == "" || res.GetApiVersion() == "" {
			r.CheckError = strp(fmt.Sprintf("failed to decode Kubernetes apiVersion, kind and name from: %v", res.String()))
		}
		if !o.PostBuild {
			r.Outcome = "unchanged"
			j, err := res.MarshalJSON()
			if err != nil {
				return nil, err
			}
			r.JSON = strp(string(j))
			o.Results = append(o.Results, r)
			continue
		}

		pristine := res.DeepCopy()
		before := res.YNode()
		out, err := kustomize.SubstituteVariables(ctx, kube, u, res, opts...)

		// Invalid names: upstream reports the first one its map iteration
		// meets. Rerun until the smallest name's error is observed.
		if err != nil && runs && len(o.InvalidNames) > 0 {
			possible := map[string]bool{}
			for _, n := range o.InvalidNames {
				possible[invalidNameMessage(n)] = true
			}
			if !possible[err.Error()] {
				return nil, fmt.Errorf("unexpected error with invalid names %q: %v", o.InvalidNames, err)
			}
			want := invalidNameMessage(o.InvalidNames[0])
			for i := 0; i < invalidNameRetries && err.Error() != want; i++ {
				res = pristine.DeepCopy()
				out, err = kustomize.SubstituteVariables(ctx, kube, u, res, opts...)
				if err == nil || !possible[err.Error()] {
					return nil, fmt.Errorf("unstable result with invalid names: %v", err)
				}
			}
			if err.Error() != want {
				return nil, fmt.Errorf("never observed %q in %d runs", want, invalidNameRetries)
			}
		}

		switch {
		case err != nil:
			r.Outcome = "error"
			r.Error = strp(err.Error())
			r.ControllerError = strp(controllerError(res, err))
		case out == nil:
			r.Outcome = "disabled"
		default:
			if out != res {
				return nil, errors.New("SubstituteVariables returned another resource")
			}
			changed := res.YNode() != before
			if changed != runs {
				return nil, fmt.Errorf("substitution ran=%v but the oracle predicted %v", changed, runs)
			}
			r.Outcome = "unchanged"
			if changed {
				r.Outcome = "substituted"
			}
			j, err := res.MarshalJSON()
			if err != nil {
				return nil, err
			}
			r.JSON = strp(string(j))
		}
		o.Results = append(o.Results, r)
	}
	return o, nil
}
