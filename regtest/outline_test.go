package regtest

import (
	"reflect"
	"testing"
)

// The exports of each module form, as Node (CommonJS) and the ES spec
// define what an importer sees.
func TestExports(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []export
		esm  bool
	}{
		{"class A {}\nmodule.exports = { A };\n", []export{{"A", "A"}}, false},
		{"class A {}\nmodule.exports = { Poller: A, b };\n", []export{{"Poller", "A"}, {"b", "b"}}, false},
		{"class A {}\nmodule.exports = A\nfoo()\n", []export{{"", "A"}}, false},
		{"module.exports = class Poller { stop() {} };\n", []export{{"", "Poller"}}, false},
		{"class A {}\nmodule.exports.A = A;\nexports.B = A;\n", []export{{"A", "A"}, {"B", "A"}}, false},
		{"export class A {}\nexport default class B {}\n", []export{{"A", "A"}, {"", "B"}}, true},
		{"class A {}\nclass B {}\nexport { A, B as C, A as default };\n", []export{{"A", "A"}, {"C", "B"}, {"", "A"}}, true},
		{"const A = class {}\nexport default A;\n", []export{{"", "A"}}, true},
		// Not exports: a value that is not a plain name, a nested assignment.
		{"class A {}\nmodule.exports = A.create();\nfunction f() { module.exports = { A }; }\n", nil, false},
		{"import fs from 'node:fs';\nclass A {}\n", nil, true},
		{"const x = import('./a.js');\nclass A {}\n", nil, false},
	} {
		o := outlineOf([]byte(tc.src))
		if !reflect.DeepEqual(o.exports, tc.want) || o.esm != tc.esm {
			t.Errorf("%q: exports %+v esm %v, want %+v esm %v", tc.src, o.exports, o.esm, tc.want, tc.esm)
		}
	}
}

// Methods, their required parameters (no default, not rest) and bodies;
// fields with arrow functions and calls in initializers are not methods.
func TestClassMembers(t *testing.T) {
	src := `class Poller extends mix(Base, Other) {
  interval = setInterval(() => this.tick(), 10);
  label = String(1);
  static create(opts) { return new Poller(opts); }
  constructor(opts = {}, ...rest) { super(); }
  async start({ every } = {}) {}
  tick(n) { if (n) { this.x = /}/; } }
  get size() { return 1; }
  'quoted name'() {}
  #hidden(a, b) {}
}
`
	o := outlineOf([]byte(src))
	if len(o.classes) != 1 || o.classes[0].name != "Poller" {
		t.Fatalf("classes %+v", o.classes)
	}
	type m struct {
		name     string
		static   bool
		required int
	}
	var got []m
	for _, x := range o.classes[0].methods {
		got = append(got, m{x.name, x.static, x.required})
		if body := src[x.bodyOff:x.bodyEnd]; body[0] != '{' || body[len(body)-1] != '}' {
			t.Errorf("%s: body %q", x.name, body)
		}
	}
	want := []m{{"create", true, 1}, {"constructor", false, 0}, {"start", false, 0}, {"tick", false, 1}, {"size", false, 0}, {"'quoted name'", false, 0}, {"#hidden", false, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("methods\n%+v\nwant\n%+v", got, want)
	}
	if c := o.classes[0]; c.ctor().required != 0 {
		t.Errorf("constructor(opts = {}, ...rest) requires %d", c.ctor().required)
	}
}
