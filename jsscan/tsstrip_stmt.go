package jsscan

import "github.com/tdewolff/parse/v2/js"

// Statements for the stripper (tsstrip.go).

// stmtList parses statements up to the token index end (a block's '}'),
// or to the end of the file when end < 0.
func (s *stripper) stmtList(end int) {
	for !s.failed && !s.eof() && (end < 0 || s.i < end) {
		s.stmt(s.i)
	}
	if end >= 0 && s.i != end {
		s.failed = true
	}
}

// block parses { statements }.
func (s *stripper) block() {
	if !s.at(js.OpenBraceToken) {
		s.failed = true
		return
	}
	end := int(s.cur().match)
	s.next()
	s.stmtList(end)
	s.expect(js.CloseBraceToken)
}

// semi ends a statement: a ';', or automatic semicolon insertion before
// a new line, a '}' or the end of the file.
func (s *stripper) semi() {
	switch {
	case s.at(js.SemicolonToken):
		s.next()
	case s.eof() || s.at(js.CloseBraceToken) || s.cur().nl:
	default:
		s.failed = true
	}
}

// stmt parses one statement; start is the token it began at (an export
// or declare before a declaration that turns out to be type-only is
// blanked with it).
func (s *stripper) stmt(start int) {
	if s.failed {
		return
	}
	t := s.cur()
	switch t.tt {
	case js.SemicolonToken:
		s.next()
	case js.DebuggerToken:
		s.next()
		s.semi()
	case js.OpenBraceToken:
		s.block()
	case js.IfToken:
		s.next()
		s.parenExpr()
		s.stmt(s.i)
		if s.at(js.ElseToken) {
			s.next()
			s.stmt(s.i)
		}
	case js.ForToken:
		s.next()
		if s.at(js.AwaitToken) {
			s.next()
		}
		s.forHead()
		s.stmt(s.i)
	case js.WhileToken, js.WithToken:
		s.next()
		s.parenExpr()
		s.stmt(s.i)
	case js.DoToken:
		s.next()
		s.stmt(s.i)
		s.expect(js.WhileToken)
		s.parenExpr()
		if s.at(js.SemicolonToken) {
			s.next()
		}
	case js.SwitchToken:
		s.next()
		s.parenExpr()
		s.switchBody()
	case js.TryToken:
		s.tryStmt()
	case js.ReturnToken, js.ThrowToken:
		s.next()
		if !s.cur().nl && !s.at(js.SemicolonToken) && !s.at(js.CloseBraceToken) {
			s.expr(exprStmt)
		}
		s.semi()
	case js.BreakToken, js.ContinueToken:
		s.next()
		if js.IsIdentifier(s.cur().tt) && !s.cur().nl {
			s.next()
		}
		s.semi()
	case js.VarToken, js.LetToken, js.ConstToken:
		if s.at(js.ConstToken) && s.peekIs(1, js.EnumToken) {
			s.next()
			s.enumDecl(true)
			return
		}
		s.varDecl()
		s.semi()
	case js.FunctionToken:
		s.function(start, true)
	case js.ClassToken:
		s.class()
	case js.ImportToken:
		if s.peekIs(1, js.OpenParenToken) || s.peekIs(1, js.DotToken) {
			s.exprStmt()
			return
		}
		s.importDecl(start)
	case js.ExportToken:
		s.exportDecl()
	case js.EnumToken:
		s.enumDecl(false)
	default:
		s.otherStmt(start)
	}
}

// otherStmt: TypeScript declarations, async functions, labels and
// expression statements.
func (s *stripper) otherStmt(start int) {
	switch {
	case s.atDecorator():
		s.decorators()
		s.stmt(start)
	case s.tsDecl(start):
	case s.atWord("async") && s.peekIs(1, js.FunctionToken) && !s.peek(1).nl:
		s.function(start, true)
	case js.IsIdentifier(s.cur().tt) && s.peekIs(1, js.ColonToken):
		s.next() // label
		s.next()
		s.stmt(s.i)
	default:
		s.exprStmt()
	}
}

func (s *stripper) exprStmt() {
	s.expr(exprStmt)
	s.semi()
}

// parenExpr parses ( expression ).
func (s *stripper) parenExpr() {
	if !s.at(js.OpenParenToken) {
		s.failed = true
		return
	}
	s.enclosed()
}

// forHead parses (init; cond; post), (x of y), (const [a, b] of c).
func (s *stripper) forHead() {
	if !s.at(js.OpenParenToken) {
		s.failed = true
		return
	}
	end := int(s.cur().match)
	s.next()
	after := false
	if s.at(js.VarToken) || s.at(js.LetToken) || s.at(js.ConstToken) {
		s.varDecl()
		after = true
	}
	for !s.failed && s.i < end {
		if s.at(js.SemicolonToken) {
			s.next()
			after = false
			continue
		}
		s.exprFrom(0, after)
		after = false
	}
	if s.i != end {
		s.failed = true
		return
	}
	s.next()
}

func (s *stripper) switchBody() {
	if !s.at(js.OpenBraceToken) {
		s.failed = true
		return
	}
	end := int(s.cur().match)
	s.next()
	for !s.failed && s.i < end {
		switch {
		case s.at(js.CaseToken):
			s.next()
			s.expr(0)
			s.expect(js.ColonToken)
		case s.at(js.DefaultToken):
			s.next()
			s.expect(js.ColonToken)
		default:
			s.stmt(s.i)
		}
	}
	s.expect(js.CloseBraceToken)
}

func (s *stripper) tryStmt() {
	s.next()
	s.block()
	if s.at(js.CatchToken) {
		s.next()
		if s.at(js.OpenParenToken) {
			s.next()
			s.binding()
			if s.at(js.ColonToken) {
				s.blankAnnotation() // catch (e: unknown)
			}
			s.expect(js.CloseParenToken)
		}
		s.block()
	}
	if s.at(js.FinallyToken) {
		s.next()
		s.block()
	}
}

// varDecl parses var/let/const with its declarators: a binding, a
// definite-assignment '!', a type, an initializer.
func (s *stripper) varDecl() {
	s.next()
	for !s.failed {
		s.binding()
		if s.at(js.NotToken) && !s.cur().nl {
			s.blankTok()
		}
		if s.at(js.ColonToken) {
			s.blankAnnotation()
		}
		if s.at(js.EqToken) {
			s.next()
			s.expr(exprStmt | exprComma)
		}
		if !s.at(js.CommaToken) {
			return
		}
		s.next()
	}
}

// binding parses a name or a destructuring pattern.
func (s *stripper) binding() {
	switch {
	case s.at(js.OpenBraceToken):
		s.object()
	case s.at(js.OpenBracketToken):
		s.array()
	case js.IsIdentifierName(s.cur().tt):
		s.next()
	default:
		s.failed = true
	}
}

// decorators blanks @a.b(args) @(expr) … before a class, a member or a
// parameter (esbuild lowers them to calls the rules never look at).
func (s *stripper) decorators() {
	for !s.failed && s.atDecorator() {
		off := s.cur().off
		s.next()
		if s.at(js.OpenParenToken) {
			s.jump()
		} else {
			for s.isName(0) {
				s.next()
				if !s.at(js.DotToken) {
					break
				}
				s.next()
			}
		}
		if s.at(js.LtToken) && !s.skipTypeArgs() {
			s.failed = true
		}
		if s.at(js.OpenParenToken) {
			s.jump()
		}
		s.blankFrom(off)
	}
}
