package regtest

import (
	"github.com/tdewolff/parse/v2/js"
)

// isModuleExports reports whether t[i] starts `module.exports` or a
// top-level `exports.name`.
func isModuleExports(t []tok, i int) bool {
	if i > 0 && t[i-1].tt == js.DotToken {
		return false
	}
	if t[i].text == "module" {
		return i+2 < len(t) && t[i+1].tt == js.DotToken && t[i+2].text == "exports"
	}
	return t[i].text == "exports" && i+1 < len(t) && t[i+1].tt == js.DotToken
}

// cjsExports reads one CommonJS export statement at t[i]:
//
//	module.exports = Name | class Name {…} | { Name, key: Name, … }
//	module.exports.key = Name | class Name {…}
//	exports.key = Name | class Name {…}
func cjsExports(t []tok, i int) []export {
	j := i
	if t[j].text == "module" {
		j += 2 // at exports
	}
	key := ""
	if j+2 < len(t) && t[j+1].tt == js.DotToken && t[j+2].tt == js.IdentifierToken || j+2 < len(t) && t[j+1].tt == js.DotToken && js.IsReservedWord(t[j+2].tt) {
		key, j = t[j+2].text, j+2
	}
	if j+2 >= len(t) || t[j+1].tt != js.EqToken {
		return nil
	}
	v := j + 2
	if local, ok := valueName(t, v); ok {
		return []export{{name: key, local: local}}
	}
	if key == "" && t[v].tt == js.OpenBraceToken && t[v].match > v {
		return objectExports(t, v+1, t[v].match)
	}
	return nil
}

// valueName returns the top-level name an exported value refers to: an
// identifier that is the whole value, or a named class expression.
func valueName(t []tok, v int) (string, bool) {
	if t[v].tt == js.ClassToken && v+1 < len(t) && t[v+1].tt == js.IdentifierToken {
		return t[v+1].text, true
	}
	if t[v].tt != js.IdentifierToken {
		return "", false
	}
	if n := v + 1; n < len(t) && !t[n].newline && t[n].tt != js.SemicolonToken && t[n].tt != js.CloseBraceToken && t[n].tt != js.CommaToken {
		return "", false // Name.x, Name(…), a || b: not the binding itself
	}
	return t[v].text, true
}

// objectExports reads { Name, key: Name, key: class Name {…} } in t[from:to].
func objectExports(t []tok, from, to int) []export {
	var out []export
	for i := from; i < to; i++ {
		if t[i].tt != js.IdentifierToken && t[i].tt != js.StringToken && !js.IsReservedWord(t[i].tt) {
			continue
		}
		key := unquote(t[i].text)
		switch next := i + 1; {
		case next < to && t[next].tt == js.ColonToken:
			if local, ok := valueName(t, next+1); ok && next+1 < to {
				out = append(out, export{name: key, local: local})
			}
		case next >= to || t[next].tt == js.CommaToken:
			out = append(out, export{name: key, local: key})
		}
		for i < to && t[i].tt != js.CommaToken { // to the next entry
			if t[i].match > i {
				i = t[i].match
			}
			i++
		}
	}
	return out
}

// esExports reads one ES export statement at t[i].
func esExports(t []tok, i int) []export {
	j := i + 1
	if j >= len(t) {
		return nil
	}
	switch {
	case t[j].tt == js.DefaultToken:
		if j+1 < len(t) {
			if local, ok := valueName(t, j+1); ok {
				return []export{{name: "", local: local}}
			}
		}
	case t[j].tt == js.ClassToken && j+1 < len(t) && t[j+1].tt == js.IdentifierToken:
		return []export{{name: t[j+1].text, local: t[j+1].text}}
	case (t[j].tt == js.ConstToken || t[j].tt == js.LetToken || t[j].tt == js.VarToken) && j+1 < len(t):
		return []export{{name: t[j+1].text, local: t[j+1].text}}
	case t[j].tt == js.OpenBraceToken && t[j].match > j:
		return exportList(t, j+1, t[j].match)
	}
	return nil
}

// exportList reads `A, B as C, D as default` in t[from:to].
func exportList(t []tok, from, to int) []export {
	var out []export
	for i := from; i < to; i++ {
		if t[i].tt == js.CommaToken {
			continue
		}
		local, name := t[i].text, t[i].text
		if i+2 < to && t[i+1].text == "as" {
			name = t[i+2].text
			i += 2
		}
		if name == "default" {
			name = ""
		}
		out = append(out, export{name: unquote(name), local: local})
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
