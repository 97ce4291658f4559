package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// splitmix64: tiny, seeded, stable across Go versions.
type benchRNG struct{ s uint64 }

func (r *benchRNG) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *benchRNG) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *benchRNG) pick(xs []string) string { return xs[r.intn(len(xs))] }

const (
	benchSeed = 0xbe9c_f1a5_2026
	benchApps = 800 // about 5 objects per app: ~4,000 resources, ~1.4 MB
)

var benchTeams = []string{"payments", "search", "checkout", "identity", "platform", "data", "growth", "media"}

var benchWords = []string{"api", "worker", "gateway", "cache", "indexer", "scheduler", "frontend", "auth",
	"billing", "ledger", "notifier", "ingest", "export", "report", "sync", "proxy"}

// genBenchStream writes the benchmark stream and, when varsPath is set, the
// variables it uses. Every placeholder is either defined in the vars or has a
// default, so the stream substitutes cleanly in strict mode.
func genBenchStream(outPath, varsPath string) error {
	r := &benchRNG{s: benchSeed}
	vars := map[string]string{
		"cluster_name":      "prod-eu-1",
		"cluster_domain":    "prod.example.com",
		"cluster_region":    "eu-west-1",
		"environment":       "production",
		"registry":          "registry.example.com",
		"log_level":         "info",
		"storage_class":     "gp3",
		"ingress_class":     "nginx",
		"cert_issuer":       "letsencrypt-prod",
		"default_replicas":  "3",
		"pull_policy":       "IfNotPresent",
		"helm_repo":         "platform-charts",
		"vault_addr":        "https://vault.example.com:8200",
		"tracing_enabled":   "true",
		"metrics_port":      "9090",
		"sidecar_image_tag": "1.8.2",
	}
	for _, t := range benchTeams {
		vars["team_"+t+"_owner"] = t + "@example.com"
		vars["team_"+t+"_cost_center"] = fmt.Sprintf("cc-%04d", 1000+r.intn(9000))
	}
	var b strings.Builder
	for i := 0; i < benchApps; i++ {
		team := benchTeams[i%len(benchTeams)]
		app := fmt.Sprintf("%s-%s-%03d", team, r.pick(benchWords), i)
		ns := team
		tagVar := fmt.Sprintf("app_%03d_tag", i)
		// One app in eight has a pinned tag; the rest use the default.
		if r.intn(8) == 0 {
			vars[tagVar] = fmt.Sprintf("%d.%d.%d", 1+r.intn(3), r.intn(20), r.intn(50))
		}
		labels := fmt.Sprintf(`    app.kubernetes.io/name: %s
    environment: ${environment}
    team-owner: ${team_%s_owner}
`, app, team)
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
%[3]sspec:
  replicas: ${%[5]s_replicas:=${default_replicas}}
  selector:
    matchLabels:
      app.kubernetes.io/name: %[1]s
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %[1]s
    spec:
      containers:
      - name: app
        image: ${registry}/%[2]s/%[1]s:${%[4]s:=1.0.0}
        imagePullPolicy: ${pull_policy}
        args: ["--log-level=${log_level}"]
        ports:
        - containerPort: ${metrics_port}
`, app, ns, labels, tagVar, fmt.Sprintf("app_%03d", i))
		fmt.Fprintf(&b, `---
apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  selector:
    app.kubernetes.io/name: %[1]s
  ports:
  - name: http
    port: 80
    targetPort: 8080
`, app, ns, labels)
		fmt.Fprintf(&b, `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: %[1]s-config
  namespace: %[2]s
data:
  CLUSTER: ${cluster_name}
  PUBLIC_URL: https://%[1]s.${cluster_domain}
  CACHE_TTL: "${%[3]s_cache_ttl:=300}"
`, app, ns, fmt.Sprintf("app_%03d", i))
		fmt.Fprintf(&b, `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[2]s
  annotations:
    cost-center: ${team_%[2]s_cost_center}
`, app, ns)
		if i%2 == 0 {
			fmt.Fprintf(&b, `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: %[1]s-redis
  namespace: %[2]s
spec:
  interval: 30m
  chart:
    spec:
      chart: redis
      version: "${redis_chart_version:=18.x}"
      sourceRef:
        kind: HelmRepository
        name: ${helm_repo}
        namespace: flux-system
  values:
    global:
      storageClass: ${storage_class}
    metrics:
      enabled: ${tracing_enabled}
`, app, ns)
		} else {
			fmt.Fprintf(&b, `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[1]s
  namespace: %[2]s
  annotations:
    cert-manager.io/cluster-issuer: ${cert_issuer}
spec:
  ingressClassName: ${ingress_class}
  rules:
  - host: %[1]s.${cluster_domain}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: %[1]s
            port:
              number: 80
`, app, ns)
		}
	}
	for _, p := range []string{outPath, varsPath} {
		if p != "" {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(outPath, []byte(b.String()), 0o644); err != nil {
		return err
	}
	if varsPath == "" {
		return nil
	}
	// encoding/json sorts map keys, so the file is deterministic.
	vb, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(varsPath, append(vb, '\n'), 0o644)
}
