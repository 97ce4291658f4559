package main

import (
	"github.com/fluxcd/pkg/kustomize"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// buildDir is where the in-memory overlay lives.
const buildDir = "/work"

// overlay is the kustomization.yaml that lists the case's stream, the way
// kustomize-controller's generator lists the files of a plain directory.
const overlay = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- resources.yaml
`

// build runs kustomize on a single file holding stream, in an in-memory file
// system, through github.com/fluxcd/pkg/kustomize.Build: the function
// kustomize-controller calls (via SecureBuild) with its krusty options
// (no load restrictions, builtin plugins only, no reordering).
func build(stream []byte) (resmap.ResMap, error) {
	fs := filesys.MakeFsInMemory()
	if err := fs.MkdirAll(buildDir); err != nil {
		return nil, err
	}
	if err := fs.WriteFile(buildDir+"/kustomization.yaml", []byte(overlay)); err != nil {
		return nil, err
	}
	if err := fs.WriteFile(buildDir+"/resources.yaml", stream); err != nil {
		return nil, err
	}
	return kustomize.Build(fs, buildDir)
}
