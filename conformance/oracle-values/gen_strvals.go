package main

// The inputs of Helm v4.2.2 pkg/strvals parser_test.go and literal_parser_test.go,
// transcribed case by case (inputs only: the expected answers are computed by
// the oracle running the real package). Tests of entry points fluxcd-core does
// not port (ParseJSON, ParseFile, ParseIntoFile, ToYAML, and the literal
// parser itself) are listed in ../COMPATIBILITY.md.

import (
	"fmt"
	"strings"
)

// nestedKey is the key of TestParseSetNestedLevels / TestParseLiteralNestedLevels:
// name1.name2. ... .name32 (MaxNestedNameLevel+2 segments).
func nestedKey() string {
	const maxNestedNameLevel = 30
	var b strings.Builder
	for i := 1; i <= maxNestedNameLevel+2; i++ {
		b.WriteString(fmt.Sprintf("name%d", i))
		if i <= maxNestedNameLevel+1 {
			b.WriteString(".")
		}
	}
	return b.String()
}

func strvalsUpstreamCases() []vcase {
	var cs []vcase
	add := func(c vcase) { cs = append(cs, c) }

	// TestSetIndex: setIndex(initial, add, val) is unexported; each row is the
	// same write through ParseInto: "l[add]=val" into {"l": initial}.
	for _, r := range []struct {
		name, initial string
		add, val      int
	}{
		{"short", "[0,1]", 2, 2},
		{"equal", "[0,1]", 1, 2},
		{"long", "[0,1,2,3,4,5]", 3, 4},
		{"negative", "[0,1,2,3,4,5]", -1, 4},
		{"large", "[0,1,2,3,4,5]", 65536 + 1, 4},
	} {
		add(vcase{Name: "TestSetIndex " + r.name, Kind: "strvals", Func: "ParseInto",
			Set: fmt.Sprintf("l[%d]=%d", r.add, r.val), Dest: raw(`{"l":` + r.initial + `}`)})
	}

	// TestParseSet: testsString (ParseString) then tests (Parse).
	for i, s := range []string{
		"long_int_string=1234567890", "boolean=true", "is_null=null", "zero=0",
	} {
		add(vcase{Name: fmt.Sprintf("TestParseSet testsString %d %s", i, s), Kind: "strvals", Func: "ParseString", Set: s})
	}
	for i, s := range []string{
		"name1=null,f=false,t=true",
		"name1=value1",
		"name1=value1,name2=value2",
		"name1=value1,name2=value2,",
		"name1=value1,,,,name2=value2,",
		"name1=,name2=value2",
		"leading_zeros=00009",
		"zero_int=0",
		"long_int=1234567890",
		"boolean=true",
		"is_null=null",
		"name1,name2=",
		"name1,name2=value2",
		"name1,name2=value2\\",
		"name1,name2",
		"name1=one\\,two,name2=three\\,four",
		"name1=one\\=two,name2=three\\=four",
		"name1=one two three,name2=three two one",
		"outer.inner=value",
		"outer.middle.inner=value",
		"outer.inner1=value,outer.inner2=value2",
		"outer.inner1=value,outer.middle.inner=value",
		"name1.name2",
		"name1.name2,name1.name3",
		"name1.name2=",
		"name1.=name2",
		"name1.,name2",
		"name1={value1,value2}",
		"name1={value1,value2},name2={value1,value2}",
		"name1={1021,902}",
		"name1.name2={value1,value2}",
		"name1={1021,902",
		// List support
		"list[0]=foo",
		"list[0].foo=bar",
		"list[0].foo=bar,list[0].hello=world",
		"list[0].foo=bar,list[-30].hello=world",
		"list[0]=foo,list[1]=bar",
		"list[0]=foo,list[1]=bar,",
		"list[0]=foo,list[3]=bar",
		"list[0]=foo,list[-20]=bar",
		"illegal[0]name.foo=bar",
		"noval[0]",
		"noval[0]=",
		"nested[0][0]=1",
		"nested[1][1]=1",
		"name1.name2[0].foo=bar,name1.name2[1].foo=bar",
		"name1.name2[1].foo=bar,name1.name2[0].foo=bar",
		"name1.name2[1].foo=bar",
		"]={}].",
	} {
		add(vcase{Name: fmt.Sprintf("TestParseSet tests %d %s", i, s), Kind: "strvals", Func: "Parse", Set: s})
	}

	// TestParseInto: two successive ParseInto calls on the same map.
	intoRows := []struct{ input, input2, got string }{
		{"outer.inner1=value1,outer.inner3=value3,outer.inner4=4", "",
			`{"outer":{"inner1":"overwrite","inner2":"value2"}}`},
		{"listOuter[0][0].type=listValue", "listOuter[0][0].status=alive", `{}`},
		{"listOuter[0][0].type=listValue", "listOuter[1][0].status=alive", `{}`},
		// upstream's initial innermost map is a map[string]string; the second
		// write does not go through it, so a JSON map is equivalent.
		{"listOuter[0][1][0].type=listValue", "listOuter[0][0][1].status=alive",
			`{"listOuter":[[[{"exited":"old"}]]]}`},
	}
	for i, r := range intoRows {
		add(vcase{Name: fmt.Sprintf("TestParseInto %d %s", i, r.input), Kind: "strvals", Func: "ParseInto",
			Set: r.input, Then: r.input2, Dest: raw(r.got)})
	}

	// TestParseIntoString.
	add(vcase{Name: "TestParseIntoString", Kind: "strvals", Func: "ParseIntoString",
		Set: "outer.inner1=1,outer.inner3=3", Dest: raw(`{"outer":{"inner1":"overwrite","inner2":"value2"}}`)})

	// TestParseSetNestedLevels (Parse).
	add(vcase{Name: "TestParseSetNestedLevels 0", Kind: "strvals", Func: "Parse", Set: "outer.middle.inner=value"})
	add(vcase{Name: "TestParseSetNestedLevels 1 name1..name32", Kind: "strvals", Func: "Parse", Set: nestedKey() + "=value"})

	// literal_parser_test.go: fluxcd-core does not port ParseLiteral (Flux's
	// literal mode is ReplacePathLiteralValue: escaping, then ParseIntoString).
	// Every input is run through ReplacePathLiteralValue instead, split at its
	// first "=" into path and value (no "=": the whole input is the path).
	literal := []string{
		"name", "name=", "name=value", "long_int_string=1234567890", "boolean=true", "is_null=null", "zero=0",
		"name1=null,name2=value2", "name1=value,,,tail", "leading_zeros=00009", "name=one two three",
		"outer.inner=value", "outer.middle.inner=value", "name1.name2", "name1.name2=", "name1.=name2", "name1.,name2",
		"name1={value1,value2}",
		// List support
		"list[0]=foo", "list[0].foo=bar", "list[-30].hello=world", "list[3]=bar", "illegal[0]name.foo=bar",
		"noval[0]", "noval[0]=", "nested[0][0]=1", "nested[1][1]=1", "name1.name2[0].foo=bar",
		"name1.name2[1].foo=bar", "name1.name2[1].foo=bar", "]={}].",
		// issue test cases: , = $ ( ) { } . \ \\
		"name=val,val", "name=val.val", "name=val=val", "name=val$val", "name=(value", "name=value)",
		"name=(value)", "name={value", "name=value}", "name={value}", "name={value1,value2}",
		`name=val\val`, `name=val\\val`, `name=val\\\val`, `name={val,.?*v\0a!l)some`,
		`name=em%GT)tqUDqz,i-\h+Mbqs-!:.m\\rE=mkbM#rR}@{-k@`,
		// TestParseLiteralNestedLevels
		"outer.middle.inner=value", nestedKey() + "=value",
	}
	for i, s := range literal {
		path, value, _ := strings.Cut(s, "=")
		add(vcase{Name: fmt.Sprintf("TestParseLiteral input %d %s (as ReplacePathLiteralValue)", i, s), Kind: "replace",
			Path: path, Value: value, Literal: true})
	}
	// TestParseLiteralInto: two literal writes on the same map, each split likewise.
	for i, r := range intoRows {
		p1, v1, _ := strings.Cut(r.input, "=")
		c := vcase{Name: fmt.Sprintf("TestParseLiteralInto input %d %s (as ReplacePathLiteralValue)", i, r.input), Kind: "replace",
			Path: p1, Value: v1, Literal: true, Dest: raw(r.got)}
		if r.input2 != "" {
			p2, v2, _ := strings.Cut(r.input2, "=")
			c.ThenPath, c.ThenValue = &p2, v2
		}
		add(c)
	}
	return cs
}
