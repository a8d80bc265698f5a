package jsscan

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// lexBoth lexes src with lexFast and with tdewolff's lexer (lexSlow);
// fast is false when lexFast left the file to tdewolff.
func lexBoth(src []byte) (fastToks, slowToks []token, fastIgs, slowIgs []ignore, fast bool) {
	s := newSource("f.js", src)
	fastToks, fastIgs, fast = lexFast(s, nil)
	slowToks, slowIgs = lexSlow(s, nil)
	return
}

// TestLexFast: lexFast gives tdewolff's tokens on the tricky corners of
// the lexer, and leaves the files it does not cover to tdewolff.
func TestLexFast(t *testing.T) {
	same := []string{
		"a = b / c / d; e = /re[/]x\\/y/gi.test(f);",
		"x = `a${b}c${`d${e}`}f` + `plain`;",
		"if (x) /re/.test(y); o.else / 2; a++ / 2; (1) / 2;",
		"n = 0x1F + 0b101n + 0o17 + 1_000.5e-3 + .5 + 1. + 1..toString() + 0n;",
		"s = 'a\\'b' + \"c\\\\\" + 'line\\\ncontinued';",
		"a?.b ?? c; d ??= e; f?.[0]; g?.(); h ? .5 : 1; i **= 2; j >>>= 1; k >>= 2; l => l;",
		"x = a<!-- html comment\n--> also a comment\ny = 1 --> 0;",
		"/* block\n */ --> comment after a multi-line comment\n",
		"a\n/* one line */ --> 1;",
		"class A { #p = 1; m() { return #p in this; } }",
		"// leaklsp-ignore LEAK001\nt = setTimeout(f); /* leaklsp-ignore */\n",
		"const s = 'héllo' + `wörld ${x}` + /ü/u; // ünïcode in strings and comments\n",
		"x = y\r\nz = w\r\n",
		"x = 'a\u2028b'; // comment\u2028 y = 1;\n/* c\u2029 */ --> html comment after a line separator\n",
		"s = 'nul\x00in a string'; /* and \x00 in a comment */",
	}
	for _, src := range same {
		f, s, fi, si, ok := lexBoth([]byte(src))
		if !ok {
			t.Errorf("%q: left to tdewolff", src)
			continue
		}
		if !reflect.DeepEqual(f, s) || !reflect.DeepEqual(fi, si) {
			t.Errorf("%q:\nfast %v %v\nslow %v %v", src, f, fi, s, si)
		}
	}
	for _, src := range []string{
		"const é = 1;", "a\u00a0= 1;", "x = /a\u2028b/;", "\\u0061 = 1;", "x = 1a;", "x = 017;",
		"x = 'unterminated\n';", "x = `open ${a", "a = b\x00c;", "x = 1e;", "@decorator class A {}",
	} {
		if _, _, _, _, ok := lexBoth([]byte(src)); ok {
			t.Errorf("%q: lexFast should leave it to tdewolff", src)
		}
	}
}

// TestLexFastCorpus compares lexFast with tdewolff's lexer on every file
// of a real tree (bench/jsscan-corpus.sh installs one):
//
//	LEAKLSP_JSSCAN_CORPUS=.cache/jsscan-corpus/node_modules go test -run LexFastCorpus ./jsscan
func TestLexFastCorpus(t *testing.T) {
	root := os.Getenv("LEAKLSP_JSSCAN_CORPUS")
	if root == "" {
		t.Skip("LEAKLSP_JSSCAN_CORPUS is not set")
	}
	var files, fast, bytesAll, bytesFast int
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || langOf(path) != langJS {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		files++
		bytesAll += len(src)
		f, s, fi, si, ok := lexBoth(src)
		if !ok {
			return nil
		}
		fast++
		bytesFast += len(src)
		if !reflect.DeepEqual(f, s) || !reflect.DeepEqual(fi, si) {
			for i := range min(len(f), len(s)) {
				if f[i] != s[i] {
					t.Errorf("%s: token %d differs: fast %+v %q, tdewolff %+v %q", path, i, f[i], src[f[i].off:f[i].end], s[i], src[s[i].off:s[i].end])
					return nil
				}
			}
			t.Errorf("%s: %d tokens, tdewolff %d; ignores %v / %v", path, len(f), len(s), fi, si)
		}
		return nil
	})
	t.Logf("%d files: %d (%.1f%% of the bytes) lexed by lexFast, the same as tdewolff's", files, fast, 100*float64(bytesFast)/float64(max(bytesAll, 1)))
}
