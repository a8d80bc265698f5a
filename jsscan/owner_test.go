package jsscan

import "testing"

// TestRecursionOwner: a recursion in a class method names its class (the
// instance is all a heap snapshot without allocation stacks can blame);
// a plain function or an object-literal method has no owner.
func TestRecursionOwner(t *testing.T) {
	src := []byte(`class Feed {
  constructor() { this.pending = this.next(); }
  async next() {
    await tick();
    return this.next();
  }
}
async function poll() {
  await tick();
  return poll();
}
const feed = {
  async next() {
    await tick();
    return this.next();
  },
};
`)
	owners := map[int]string{} // finding line (0-based) -> owner name
	for _, f := range Scan("owner.js", src) {
		if f.Code != CodeRecursiveAwait {
			continue
		}
		name := ""
		if f.Owner != nil {
			name = f.Owner.Name
			if r := f.Owner.Range; r.Start.Line > 1 || r.End.Line < 4 {
				t.Errorf("line %d: owner range %+v does not cover the constructor and next()", f.Range.Start.Line+1, r)
			}
		}
		owners[f.Range.Start.Line] = name
	}
	want := map[int]string{4: "Feed", 9: "", 14: ""}
	for line, name := range want {
		got, ok := owners[line]
		if !ok {
			t.Errorf("no LEAK003 at line %d", line+1)
		} else if got != name {
			t.Errorf("line %d: owner %q, want %q", line+1, got, name)
		}
	}
}
