package main

import "fmt"

type sourceCase struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

type sourceOut struct {
	sourceCase
	ResourceCount int     `json:"resource_count"`
	JSON          *string `json:"json,omitempty"`
	Emitted       *string `json:"emitted,omitempty"`
	JSONError     *string `json:"json_error,omitempty"`
	EmitError     *string `json:"emit_error,omitempty"`
	Error         *string `json:"error,omitempty"`
}

// runSource builds the document with kustomize (as `kustomize build` sees a
// file) and records the Resource's MarshalJSON and AsYAML.
func runSource(raw []byte) (any, error) {
	var c sourceCase
	if err := decodeStrict(raw, &c); err != nil {
		return nil, err
	}
	o := sourceOut{sourceCase: c}
	m, err := build([]byte(c.YAML))
	if err != nil {
		s := err.Error()
		o.Error = &s
		return o, nil
	}
	rs := m.Resources()
	o.ResourceCount = len(rs)
	if len(rs) != 1 {
		return o, nil
	}
	res := rs[0]
	j, err := res.MarshalJSON()
	if err != nil {
		s := err.Error()
		o.JSONError = &s
		return o, nil
	}
	js := string(j)
	o.JSON = &js
	y, err, stable := stableEmit(res.AsYAML)
	if !stable {
		return nil, fmt.Errorf("AsYAML is not deterministic for this document (go-yaml v2 key order); change the input")
	}
	if err != nil {
		s := err.Error()
		o.EmitError = &s
	} else {
		ys := string(y)
		o.Emitted = &ys
	}
	return o, nil
}
