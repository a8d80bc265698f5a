package inspector

import (
	"strings"
	"testing"

	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
)

func TestAppendUnescaped(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{`{\"snapshot\":{\"meta\":1}}`, `{"snapshot":{"meta":1}}`, true},
		{`0,1,2\n,3,4,5\n`, "0,1,2\n,3,4,5\n", true},
		{`a\\b\/c\t\r\b\f`, "a\\b/c\t\r\b\f", true},
		{``, ``, true},
		{`caf\u00e9`, ``, false}, // \u escapes take the full decoder
		{"café", ``, false},      // so do raw bytes beyond ASCII
		{`a"b`, ``, false},       // an unescaped quote ends the string early
		{"a\nb", ``, false},      // a raw control character is not JSON
		{`ab\`, ``, false},       // a lone backslash at the end
		{`a\x`, ``, false},       // no such escape
	} {
		got, ok := appendUnescaped([]byte("kept:"), []byte(tc.in))
		if ok != tc.ok || (ok && string(got) != "kept:"+tc.want) {
			t.Errorf("appendUnescaped(%q) = %q, %v; want %q, %v", tc.in, got, ok, "kept:"+tc.want, tc.ok)
		}
	}
}

func TestChunkBody(t *testing.T) {
	msg := `{"method":"HeapProfiler.addHeapSnapshotChunk","params":{"chunk":"1,2\n"}}`
	if body, ok := chunkBody([]byte(msg)); !ok || string(body) != `1,2\n` {
		t.Errorf("chunkBody(%s) = %q, %v", msg, body, ok)
	}
	for _, other := range []string{
		`{"method":"HeapProfiler.reportHeapSnapshotProgress","params":{"done":1,"total":2}}`,
		`{"method":"HeapProfiler.addHeapSnapshotChunk","params":{"chunk":"x"},"sessionId":"s"}`,
		`{"id":3,"result":{}}`,
	} {
		if _, ok := chunkBody([]byte(other)); ok {
			t.Errorf("chunkBody(%s) takes it for a chunk", other)
		}
	}
}

// FuzzAppendUnescaped: whatever the fast path accepts, the JSON decoder
// reads as the same string.
func FuzzAppendUnescaped(f *testing.F) {
	for _, s := range []string{`{\"a\":[1,2]}\n`, `\\`, `\u0041`, "é", `"`, `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, ok := appendUnescaped(nil, []byte(body))
		if !ok {
			return
		}
		var want string
		if err := jsonv2.Unmarshal([]byte(`"`+body+`"`), &want); err != nil {
			t.Fatalf("fast path accepts %q, which is not a JSON string body: %v", body, err)
		}
		if string(got) != want {
			t.Fatalf("appendUnescaped(%q) = %q, JSON says %q", body, got, want)
		}
	})
}

// TestAppendUnescapedMarshalled: the text V8 writes (printable ASCII and
// the control characters with short escapes), quoted by a JSON encoder,
// takes the fast path and comes back unchanged.
func TestAppendUnescapedMarshalled(t *testing.T) {
	var b strings.Builder
	for c := 0x20; c < 0x80; c++ {
		b.WriteByte(byte(c))
	}
	text := strings.Repeat(b.String()+"\n\t\r\b\f", 3)
	q, err := jsonv2.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := appendUnescaped(nil, q[1:len(q)-1])
	if !ok || string(got) != text {
		t.Errorf("round trip of %s: %q, %v", q, got, ok)
	}
}
