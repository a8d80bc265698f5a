package heap

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// scanner is a hand-written JSON byte scanner over one large buffer. The
// big sections of a snapshot are flat arrays of small integers and a list
// of strings; scanning them byte by byte into preallocated columns is what
// makes multi-gigabyte files loadable at disk speed (a generic JSON decoder
// allocates per value and is an order of magnitude slower).
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	end  int   // buf[pos:end] is unread input
	base int64 // input offset of buf[0]
	eof  bool
	rerr error // read error other than io.EOF
	// block marks a scanner over one block of a number section parsed in
	// parallel (load_parallel.go): the end of buf ends the block, not the
	// input, so numbers() returns there without an error.
	block bool

	// Array state of numbers(): between calls we may stop after a value
	// (before its separator), so the scanner remembers where it is.
	wantValue bool // next token is a value (after '[' or ',')
	first     bool // no value seen yet: ']' may close an empty array

	scratch []byte // decoded strings that are skipped or captured
}

const (
	scanBufSize = 4 << 20
	// maxDigits bounds an integer literal: 19 decimal digits always fit in
	// a uint64, so no overflow check is needed in the digit loop.
	maxDigits = 19
	// lookahead is how many bytes numbers() wants buffered before it scans
	// without refilling; longer than any valid number.
	lookahead = 32
)

// newScanner reads r; size, if positive, is the input size, so that small
// inputs get a small buffer.
func newScanner(r io.Reader, size int64) *scanner {
	n := scanBufSize
	if size > 0 && size < scanBufSize-2*lookahead {
		n = int(size) + 2*lookahead
	}
	return &scanner{r: r, buf: make([]byte, n)}
}

// SyntaxError reports malformed input at a byte offset of the (uncompressed)
// snapshot text.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("heapsnapshot: offset %d: %s", e.Offset, e.Msg)
}

// offset is the input offset of the next unread byte.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

func (s *scanner) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: s.offset(), Msg: fmt.Sprintf(format, args...)}
}

// unexpected builds the error for byte c (or end of input) where want was expected.
func (s *scanner) unexpected(want string) error {
	if errors.Is(s.rerr, io.ErrUnexpectedEOF) { // gzip stream cut short
		return fmt.Errorf("heapsnapshot: offset %d: reading input: %w: the snapshot is truncated", s.offset(), s.rerr)
	}
	if s.rerr != nil {
		return fmt.Errorf("heapsnapshot: offset %d: reading input: %w", s.offset(), s.rerr)
	}
	if s.pos >= s.end {
		if s.offset() > 0 && want != "end of input" {
			return s.errorf("expected %s, got end of input: the snapshot is truncated (was it still being written?)", want)
		}
		return s.errorf("expected %s, got end of input", want)
	}
	return s.errorf("expected %s, got %s", want, quoteByte(s.buf[s.pos]))
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// refill moves the unread bytes to the front of buf and reads more. It
// returns false when no byte could be added (end of input or read error).
func (s *scanner) refill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	for s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
			break
		}
		if n > 0 && s.end-s.pos > lookahead {
			break
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// peek skips whitespace and returns the next byte without consuming it;
// ok is false at end of input.
func (s *scanner) peek() (c byte, ok bool) {
	for {
		for s.pos < s.end {
			c = s.buf[s.pos]
			if !isSpace(c) {
				return c, true
			}
			s.pos++
		}
		if !s.refill() {
			return 0, false
		}
	}
}

// expect consumes byte c (after whitespace) or fails naming what.
func (s *scanner) expect(c byte, what string) error {
	if got, ok := s.peek(); !ok || got != c {
		return s.unexpected(what)
	}
	s.pos++
	return nil
}

// beginArray consumes '[' and prepares numbers() for a new array.
func (s *scanner) beginArray(section string) error {
	if err := s.expect('[', fmt.Sprintf("'[' to start %q", section)); err != nil {
		return err
	}
	s.wantValue, s.first = true, true
	return nil
}

// numbers reads up to len(dst) unsigned integers of the current flat array
// into dst. It returns how many it read and whether it consumed the closing
// ']'. The loop is the hot path of the loader: it works on local copies of
// the buffer bounds and only refills when fewer than lookahead bytes remain.
func (s *scanner) numbers(dst []uint64, section string) (n int, closed bool, err error) {
	wantValue, first := s.wantValue, s.first
	defer func() { s.wantValue, s.first = wantValue, first }()
	for n < len(dst) {
		if !s.eof && s.end-s.pos <= lookahead {
			s.refill()
		}
		buf := s.buf[:s.end]
		i := s.pos
		limit := len(buf) - lookahead
		if s.eof {
			limit = len(buf)
		}
		for i < limit && n < len(dst) {
			c := buf[i]
			if wantValue {
				if d := c - '0'; d < 10 {
					v := uint64(d)
					j := i + 1
					for ; j < len(buf); j++ {
						d := buf[j] - '0'
						if d >= 10 {
							break
						}
						v = v*10 + uint64(d)
					}
					if j-i > maxDigits {
						s.pos = i
						return n, false, s.errorf("number too large in %q", section)
					}
					dst[n] = v
					n++
					// Fast paths: "123," and V8's "123\n," (a record's
					// last value) continue with the next value.
					if j < len(buf) && buf[j] == ',' {
						i, first = j+1, false
						continue
					}
					if j+1 < len(buf) && buf[j] == '\n' && buf[j+1] == ',' {
						i, first = j+2, false
						continue
					}
					i, wantValue = j, false
					continue
				}
				if isSpace(c) {
					i++
					continue
				}
				if c == ']' && first {
					s.pos = i + 1
					return n, true, nil
				}
				s.pos = i
				return n, false, s.unexpected(fmt.Sprintf("unsigned integer in %q", section))
			}
			switch {
			case c == ',':
				wantValue, first = true, false
				i++
				continue
			case isSpace(c):
				i++
				continue
			case c == ']':
				s.pos = i + 1
				return n, true, nil
			}
			s.pos = i
			return n, false, s.unexpected(fmt.Sprintf("',' or ']' in %q", section))
		}
		s.pos = i
		if i >= len(buf) && s.eof {
			if s.block {
				return n, false, nil
			}
			return n, false, s.unexpected(fmt.Sprintf("',' or ']' in %q", section))
		}
	}
	return n, false, nil
}

// str reads one JSON string and appends its decoded UTF-8 to dst. Escapes
// are decoded, surrogate pairs combined, and lone surrogates (V8 writes
// them when it truncates astral characters) become U+FFFD, so the arena is
// always valid UTF-8.
func (s *scanner) str(dst []byte) ([]byte, error) {
	if err := s.expect('"', "'\"' to start a string"); err != nil {
		return dst, err
	}
	start := len(dst)
	var high rune    // pending high surrogate from a \u escape, 0 if none
	rawHigh := false // a byte >= 0x80 was copied verbatim: validate at the end
	for {
		if s.pos >= s.end && !s.refill() {
			return dst, s.unexpected("'\"' to end a string")
		}
		buf := s.buf[s.pos:s.end]
		i := 0
		for i < len(buf) {
			c := buf[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			if c >= 0x80 {
				rawHigh = true
			}
			i++
		}
		if i > 0 && high != 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			high = 0
		}
		dst = append(dst, buf[:i]...)
		s.pos += i
		if i == len(buf) {
			continue
		}
		c := buf[i]
		if c < 0x20 {
			return dst, s.errorf("control character %s in string", quoteByte(c))
		}
		if c == '"' {
			s.pos++
			if high != 0 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			}
			if rawHigh && !utf8.Valid(dst[start:]) {
				fixed := []byte(string([]rune(string(dst[start:]))))
				dst = append(dst[:start], fixed...)
			}
			return dst, nil
		}
		var err error
		if dst, high, err = s.escape(dst, high); err != nil {
			return dst, err
		}
	}
}

// escape decodes one backslash escape at s.pos. high carries a pending high
// surrogate between escapes.
func (s *scanner) escape(dst []byte, high rune) ([]byte, rune, error) {
	if s.end-s.pos < 6 {
		s.refill()
	}
	if s.end-s.pos < 2 {
		return dst, high, s.errorf("truncated escape in string")
	}
	c := s.buf[s.pos+1]
	if c != 'u' && high != 0 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
		high = 0
	}
	var r byte
	switch c {
	case '"', '\\', '/':
		r = c
	case 'b':
		r = '\b'
	case 'f':
		r = '\f'
	case 'n':
		r = '\n'
	case 'r':
		r = '\r'
	case 't':
		r = '\t'
	case 'u':
		if s.end-s.pos < 6 {
			return dst, high, s.errorf("truncated \\u escape in string")
		}
		u, ok := hex4(s.buf[s.pos+2 : s.pos+6])
		if !ok {
			return dst, high, s.errorf("invalid \\u escape in string")
		}
		s.pos += 6
		switch {
		case u >= 0xD800 && u < 0xDC00: // high surrogate: wait for its pair
			if high != 0 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			}
			return dst, u, nil
		case u >= 0xDC00 && u < 0xE000: // low surrogate
			if high == 0 {
				return utf8.AppendRune(dst, utf8.RuneError), 0, nil
			}
			return utf8.AppendRune(dst, 0x10000+(high-0xD800)<<10+(u-0xDC00)), 0, nil
		}
		if high != 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		return utf8.AppendRune(dst, u), 0, nil
	default:
		return dst, high, s.errorf("invalid escape '\\%c' in string", c)
	}
	s.pos += 2
	return append(dst, r), high, nil
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipValue consumes one JSON value of any kind, appending its bytes to
// capture when capture is non-nil. It checks nesting and string syntax only;
// a captured value is validated by whoever decodes it. Nesting is tracked
// with an explicit stack, so hostile input cannot overflow the Go stack.
func (s *scanner) skipValue(capture *[]byte) error {
	c, ok := s.peek()
	if !ok {
		return s.unexpected("a value")
	}
	switch {
	case c == '"':
		var err error
		s.scratch, err = s.str(s.scratch[:0])
		if capture != nil {
			// Re-encode so the captured text stays valid JSON.
			*capture = appendJSONString(*capture, s.scratch)
		}
		return err
	case c == '{' || c == '[':
		return s.skipNested(capture)
	}
	// Scalar: number, true, false, null. Consume the token's bytes.
	n := 0
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if isSpace(c) || c == ',' || c == ']' || c == '}' {
				if n == 0 {
					return s.unexpected("a value")
				}
				return nil
			}
			if c == '"' || c == '{' || c == '[' || c == ':' {
				return s.unexpected("a value")
			}
			if capture != nil {
				*capture = append(*capture, c)
			}
			s.pos++
			n++
		}
		if !s.refill() {
			if n == 0 {
				return s.unexpected("a value")
			}
			return nil
		}
	}
}

// skipNested consumes an object or array, strings included.
func (s *scanner) skipNested(capture *[]byte) error {
	var stack []byte
	for {
		if s.pos >= s.end && !s.refill() {
			return s.unexpected("end of nested value")
		}
		c := s.buf[s.pos]
		switch c {
		case '{', '[':
			if len(stack) >= 10000 {
				return s.errorf("nesting too deep")
			}
			stack = append(stack, c)
		case '}', ']':
			open := byte('{')
			if c == ']' {
				open = '['
			}
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return s.errorf("unbalanced %s", quoteByte(c))
			}
			stack = stack[:len(stack)-1]
		case '"':
			if err := s.skipValue(capture); err != nil {
				return err
			}
			continue
		}
		if capture != nil {
			*capture = append(*capture, c)
		}
		s.pos++
		if len(stack) == 0 {
			return nil
		}
	}
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(dst, str []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range str {
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// uint reads one unsigned integer (the slow, general path used outside the
// big flat arrays).
func (s *scanner) uint(section string) (uint64, error) {
	c, ok := s.peek()
	if !ok || c-'0' >= 10 {
		return 0, s.unexpected("unsigned integer in " + section)
	}
	var v uint64
	digits := 0
	for {
		for s.pos < s.end {
			d := s.buf[s.pos] - '0'
			if d >= 10 {
				return v, nil
			}
			if digits++; digits > maxDigits {
				return 0, s.errorf("number too large in %q", section)
			}
			v = v*10 + uint64(d)
			s.pos++
		}
		if !s.refill() {
			return v, nil
		}
	}
}
