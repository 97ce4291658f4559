package main

import (
	"fmt"
	"strings"
)

// ---------------------------------------------------------------------------
// github.com/fluxcd/pkg/kustomize v1.35.4: kustomize_varsub_test.go and its
// testdata, transcribed. The tests share one envtest cluster in which the
// namespace "apps", the ConfigMap app-vars and the *-empty ConfigMap and
// Secret exist; every case below sees all of them.

const pkgKsVarsub = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: app
  namespace: apps
spec:
  interval: 4m0s
  path: ./kustomize
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
  validation: client
  postBuild:
    substitute:
      cluster_env: "prod"
      cluster_region: "eu-central-1"
    substituteFrom:
      - kind: ConfigMap
        name: app-vars
`

const pkgKsDummy = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: app
  namespace: apps
spec:
  interval: 4m0s
  path: ./kustomize
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
  validation: client
  postBuild:
    substitute:
      dummy: "unused"
`

const pkgKsEmpty = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: app
  namespace: apps
spec:
  interval: 4m0s
  path: ./kustomize
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
  validation: client
  postBuild:
    substitute:
      empty_inline: ""
    substituteFrom:
      - kind: ConfigMap
        name: app-vars-empty
      - kind: Secret
        name: app-vars-empty
`

const pkgKsNoVars = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: app
  namespace: apps
spec:
  interval: 4m0s
  path: ./kustomize
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
  validation: client
`

const pkgConfigMap = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-vars
  namespace: apps
data:
  prometheus_scrape: '"true"'
  prometheus_port: '"9797"'
  image: "nginx:1.21.4"
`

const pkgConfigMapEmpty = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-vars-empty
  namespace: apps
data:
  empty_cm: ""
`

const pkgSecretEmpty = `---
apiVersion: v1
kind: Secret
metadata:
  name: app-vars-empty
  namespace: apps
stringData:
  empty_secret: ""
`

// testdata/resources: deployment.yaml then config.yaml (its kustomization.yml
// lists them in that order and sets namespace apps, which they already have).
const pkgResources = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: apps
  labels:
    environment: ${cluster_env:=dev}
    region: ${cluster_region}
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      annotations:
        prometheus.io/scrape: ${prometheus_scrape:=false}
        prometheus.io/port: ${prometheus_port}
      labels:
        app: app
    spec:
      containers:
      - name: nginx
        image: ${image}
        imagePullPolicy: IfNotPresent
        resources:
          limits:
            cpu: 2000m
            memory: 512Mi
          requests:
            cpu: 100m
            memory: 64Mi
---
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    kustomize.toolkit.fluxcd.io/substitute: disabled
    environment: ${cluster_env:=dev}
    region: ${cluster_region}
  name: app-vars
  namespace: apps
data:
  prometheus_scrape: ${prometheus_scrape:=false}
  prometheus_port: ${prometheus_port}
  image: ${image}
`

const pkgVarsubAlways = `apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    environment: ${cluster_env:=dev}
  name: app-vars-always
  namespace: apps
data:
  region: ${cluster_region:=eu-central-1}
`

const pkgVarsubStrict = `apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    environment: ${cluster_env:=dev}
    region: ${cluster_region}
  name: app-vars-strict
  namespace: apps
data:
  missing: ${missing}
`

const pkgVarsubStrictEmpty = `apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    from-inline: "${empty_inline}"
    from-configmap: "${empty_cm}"
    from-secret: "${empty_secret}"
  name: app-vars-strict-empty
  namespace: apps
`

func upstreamPkgCases() []any {
	cluster := docs(pkgConfigMap, pkgConfigMapEmpty, pkgSecretEmpty)
	c := func(name, desc, ks, res string, strict bool, direct bool, always *bool) postBuildCase {
		return postBuildCase{Name: name, Description: desc, Kustomization: ks, Cluster: cluster,
			Resources: res, Strict: strict, Direct: direct, Always: always}
	}
	out := []any{
		c("TestKustomization_Varsub", "testdata/resources with kustomization_varsub.yaml; expected output kustomization_varsub_expected.yaml", pkgKsVarsub, pkgResources, false, false, nil),
		c("TestKustomization_Varsub/strict", "testdata/varsubstrict, strict: error containing \"variable not set\"", pkgKsVarsub, pkgVarsubStrict, true, false, nil),
		c("TestKustomization_Varsub/not-strict", "testdata/varsubstrict, not strict: no error", pkgKsVarsub, pkgVarsubStrict, false, false, nil),
		c("TestKustomization_Varsub_Always/disabled", "no postBuild, SubstituteVariables called directly without Always: defaults stay verbatim", pkgKsNoVars, pkgVarsubAlways, false, true, nil),
		c("TestKustomization_Varsub_Always/enabled", "no postBuild, SubstituteVariables called directly with Always: defaults applied", pkgKsNoVars, pkgVarsubAlways, false, true, boolp(true)),
		c("TestKustomization_Varsub_StrictEmptyValues/strict", "empty values from inline, ConfigMap and Secret exist in strict mode: labels become null", pkgKsEmpty, pkgVarsubStrictEmpty, true, false, nil),
		c("TestKustomization_Varsub_StrictEmptyValues/omitted", "the same resource with an unrelated variable, not strict: same output as the strict case", pkgKsDummy, pkgVarsubStrictEmpty, false, false, nil),
	}
	kss := []struct{ name, text string }{
		{"varsub", pkgKsVarsub}, {"varsub_dummy", pkgKsDummy}, {"varsub_empty", pkgKsEmpty}, {"varsub_novars", pkgKsNoVars},
	}
	dirs := []struct{ name, text string }{
		{"resources", pkgResources}, {"varsubalways", pkgVarsubAlways}, {"varsubstrict", pkgVarsubStrict}, {"varsubstrictempty", pkgVarsubStrictEmpty},
	}
	for _, k := range kss {
		for _, d := range dirs {
			for _, strict := range []bool{false, true} {
				mode := "lenient"
				if strict {
					mode = "strict"
				}
				direct := k.name == "varsub_novars"
				out = append(out, c(fmt.Sprintf("matrix/kustomization_%s.yaml/%s/%s", k.name, d.name, mode), "", k.text, d.text, strict, direct, nil))
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// kustomize-controller v1.9.4: internal/controller/kustomization_varsub_test.go.
// The random names of the test (randStringRunes) are fixed here.

const ctrlID = "vars-abcde"

// ctrlKustomization renders the test's Kustomization; postBuild and extra
// are YAML fragments indented for spec.
func ctrlKustomization(name, extra, postBuild string) string {
	return fmt.Sprintf(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: %s
  namespace: %s
spec:
  kubeConfig:
    secretRef:
      name: kubeconfig
  interval: 5s
  path: ./
  prune: true
  sourceRef:
    kind: GitRepository
    name: repoa
%s%s`, name, ctrlID, extra, postBuild)
}

func sprintfID(s string) string { return strings.ReplaceAll(s, "%[1]s", ctrlID) }

func upstreamControllerCases() []any {
	var out []any

	// TestKustomizationReconciler_Varsub
	varsubManifests := sprintfID(`---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[1]s
  labels:
    environment: ${env:=dev}
    region: "${_Region}" 
    zone: "${zone}"
`) + sprintfID(`---
apiVersion: v1
kind: Secret
metadata:
  name: %[1]s
  namespace: %[1]s
stringData:
  zone: ${zone}
`)
	healthSA := sprintfID(`  healthChecks:
  - apiVersion: v1
    kind: ServiceAccount
    name: %[1]s
    namespace: %[1]s
`)
	out = append(out, postBuildCase{
		Name:        "TestKustomizationReconciler_Varsub",
		Description: "inline _Region, ConfigMap zone \"\\naz-1a\\n\" then Secret zone \"\\naz-1b\\n\": environment dev, region eu-central-1, zone az-1b (the later Secret wins, newlines removed)",
		Kustomization: ctrlKustomization(ctrlID, healthSA, `  postBuild:
    substitute:
      _Region: "eu-central-1"
    substituteFrom:
    - kind: ConfigMap
      name: cfgab
    - kind: Secret
      name: secab
`),
		Cluster: docs(configMap(ctrlID, "cfgab", kv{{"zone", "\naz-1a\n"}}),
			fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: secab\n  namespace: %s\nstringData:\n  zone: \"\\naz-1b\\n\"\n", ctrlID)),
		Resources: varsubManifests,
	})

	// TestKustomizationReconciler_VarsubOptional
	optionalManifests := sprintfID(`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[1]s
  labels:
    color: "${color:=blue}"
    shape: "${shape:=square}"
`)
	optionalKs := ctrlKustomization(ctrlID, healthSA, `  postBuild:
    substitute:
      var_substitution_enabled: "true"
    substituteFrom:
    - kind: ConfigMap
      name: cfgab
      optional: true
    - kind: Secret
      name: secab
      optional: true
`)
	out = append(out, postBuildCase{
		Name:          "TestKustomizationReconciler_VarsubOptional/present",
		Description:   "optional ConfigMap and Secret exist: color red, shape triangle",
		Kustomization: optionalKs,
		Cluster: docs(configMap(ctrlID, "cfgab", kv{{"color", "\nred\n"}}),
			fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: secab\n  namespace: %s\nstringData:\n  shape: \"\\ntriangle\\n\"\n", ctrlID)),
		Resources: optionalManifests,
	}, postBuildCase{
		Name:          "TestKustomizationReconciler_VarsubOptional/absent",
		Description:   "optional ConfigMap and Secret deleted: defaults blue and square",
		Kustomization: optionalKs,
		Resources:     optionalManifests,
	})

	// TestKustomizationReconciler_VarsubAlways
	out = append(out, postBuildCase{
		Name:          "TestKustomizationReconciler_VarsubAlways/with-variables",
		Description:   "postBuild: {} with the default WithVariables strategy and no variables: substitution skipped, the expressions stay",
		Kustomization: ctrlKustomization(ctrlID+"-with-variables", "  targetNamespace: "+ctrlID+"\n", "  postBuild: {}\n  wait: true\n"),
		Resources:     optionalManifests,
	}, postBuildCase{
		Name:          "TestKustomizationReconciler_VarsubAlways/always",
		Description:   "substituteStrategy Always and no variables: defaults blue and square",
		Kustomization: ctrlKustomization(ctrlID+"-always", healthSA, "  postBuild:\n    substituteStrategy: Always\n"),
		Resources:     optionalManifests,
	})

	// TestKustomizationReconciler_VarsubNumberBool
	out = append(out, postBuildCase{
		Name:        "TestKustomizationReconciler_VarsubNumberBool",
		Description: "labels id/enabled \"123\"/\"true\" via !!str, annotations via the quote trick, interval 123m, $${var} escaped, \\? kept",
		Kustomization: ctrlKustomization(ctrlID, "", `  postBuild:
    substitute:
      q: '"'
      numberStr: "!!str 123"
      number: "123"
      booleanStr: "!!str true"
      boolean: "true"
  wait: false
`),
		Resources: sprintfID(`
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: %[1]s
  namespace: %[1]s
  labels:
    id: ${numberStr}
    enabled: ${booleanStr}
  annotations:
    id: ${q}${number}${q}
    enabled: ${q}${boolean}${q}
spec:
  interval: ${number}m
  url: https://host/repo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: %[1]s
  namespace: %[1]s
data:
  id: ${q}${number}${q}
  text: |
    This variable is escaped $${var}

    Lorem ipsum dolor sit amet, consectetur adipiscing elit. Vivamus at
    nisl sem. Nullam nec dui ipsum. Nam vehicula volutpat ipsum, ac fringilla
    nisl convallis sed. Aliquam porttitor turpis finibus, finibus velit ut,
    imperdiet mauris. Cras nec neque nulla. Maecenas semper nulla et elit
    dictum sagittis. Quisque tincidunt non diam non ullamcorper. Curabitur
    pretium urna odio, vitae ullamcorper purus mollis sit amet. Nam ac lectus
    ac arcu varius feugiat id fringilla massa.

    \?
`),
	})

	// TestKustomizationReconciler_VarsubStrict
	out = append(out, postBuildCase{
		Name:        "TestKustomizationReconciler_VarsubStrict",
		Description: "strict substitutions: ${missing} fails the build with \"variable not set\"",
		Kustomization: ctrlKustomization(ctrlID, "", `  postBuild:
    substitute:
      test: "test"
  wait: true
`),
		Resources: sprintfID(`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[1]s
  labels:
    default: ${default:=test}
    missing: ${missing}
`),
		Strict: true,
	})
	return out
}
