package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// rng is a small xorshift64* generator so that the vectors never change.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return x * 2685821657736338717
}

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"

// word returns n bytes of lowercase letters, digits and inner dashes.
func (r *rng) word(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		set := alphabet
		if i == 0 || i == n-1 {
			set = alphabet[:36]
		}
		b.WriteByte(set[r.next()%uint64(len(set))])
	}
	return b.String()
}

func generate(dir string) {
	r := rng(0x9e3779b97f4a7c15)
	var cases []testCase
	add := func(name string, hr hrInput) {
		h := hr
		cases = append(cases, testCase{Name: name, HR: &h})
	}
	namespaces := []string{"flux-system", "apps", "team-a"}
	for l := 40; l <= 80; l++ {
		ns := namespaces[l%len(namespaces)]
		// metadata.name alone.
		add(fmt.Sprintf("name-only-%d", l), hrInput{Name: r.word(l), Namespace: ns})
		// targetNamespace + "-" + name == l bytes.
		tl := 5 + int(r.next()%20)
		add(fmt.Sprintf("target-%d", l), hrInput{
			Name: r.word(l - tl - 1), Namespace: ns, TargetNamespace: r.word(tl),
		})
		// releaseName wins over targetNamespace; storageNamespace set.
		add(fmt.Sprintf("release-name-%d", l), hrInput{
			Name: r.word(10), Namespace: ns, ReleaseName: r.word(l),
			TargetNamespace: r.word(8), StorageNamespace: r.word(6),
		})
		// targetNamespace + storageNamespace + chartRef (no HelmChart).
		add(fmt.Sprintf("target-storage-chartref-%d", l), hrInput{
			Name: r.word(l - 12), Namespace: ns, TargetNamespace: r.word(11),
			StorageNamespace: r.word(9), ChartRef: true,
		})
	}
	// Multi-byte characters around the 40-byte cut.
	for _, ch := range []string{"é", "€", "😀"} {
		for prefix := 36; prefix <= 41; prefix++ {
			name := strings.Repeat("a", prefix) + ch + strings.Repeat("b", 60-prefix)
			add(fmt.Sprintf("multibyte-%d-bytes-at-%d", len(ch), prefix), hrInput{Name: name, Namespace: "default"})
		}
		// Short enough never to be cut: still refused by Helm.
		add(fmt.Sprintf("multibyte-%d-bytes-short", len(ch)), hrInput{Name: "a" + ch, Namespace: "default"})
		// In the target namespace, cut inside the character.
		add(fmt.Sprintf("multibyte-%d-bytes-in-target", len(ch)),
			hrInput{Name: strings.Repeat("c", 30), Namespace: "default", TargetNamespace: strings.Repeat("t", 39) + ch})
	}
	// What sits at byte 40 decides whether Helm accepts the cut.
	for _, c := range []string{"-", ".", "a", "0"} {
		for _, at := range []int{39, 40} {
			name := strings.Repeat("x", at) + c + strings.Repeat("y", 70-at)
			add(fmt.Sprintf("byte-%d-is-%q", at, c), hrInput{Name: name, Namespace: "default"})
		}
	}
	// Names Helm refuses without any cut.
	for i, n := range []string{"Upper", "under_score", "trailing-", "-leading", "dot..dot", "a.b", "x", strings.Repeat("z", 53), strings.Repeat("z", 54)} {
		add(fmt.Sprintf("helm-rule-%d", i), hrInput{Name: "hr", Namespace: "default", ReleaseName: n})
	}
	// Where the HelmChart goes.
	for i := 0; i < 6; i++ {
		add(fmt.Sprintf("chart-namespace-%d", i), hrInput{
			Name: r.word(5 + i*20), Namespace: r.word(3 + i*9), ChartSourceNamespace: []string{"", "sources"}[i%2],
		})
	}
	f := file{
		Description: "Generated HelmReleases: composed names of 40 to 80 bytes from metadata.name, targetNamespace and releaseName, storageNamespace, chartRef, multi-byte characters around the 40-byte cut, the byte at the cut, Helm's name rule, HelmChart namespaces.",
		Source:      "conformance/oracle-release/gen.go (xorshift64*, fixed seed)",
		Cases:       cases,
	}
	out := filepath.Join(dir, "generated.input.json")
	writeJSON(out, &f)
	fmt.Printf("%s: %d cases\n", out, len(cases))
}
