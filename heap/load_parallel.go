package heap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Parallel parsing of the big number sections. Scanning the digits of
// "nodes" and "edges" is most of a load; the text splits at any comma into
// blocks that parse independently, because every block but the first
// starts right after a separator (a value is expected, the array is not
// empty), and the first starts right after '['. So:
//
//	splitter (one goroutine): reads the input (and decompresses it) into
//	    blocks of about loadBlockSize bytes cut after their last ',', up to
//	    the section's ']'; the bytes after it go back to the scanner;
//	workers (GOMAXPROCS): parse each block into its own value buffer with
//	    the sequential scanner's numbers() loop, so syntax errors and their
//	    input offsets are the sequential ones;
//	converter (the calling goroutine): takes the blocks in input order and
//	    hands whole records to the section's callback, exactly as records()
//	    does, carrying a record split between blocks over to the next one.
//
// When the section's columns are laid out whole up front (recordsPlaced
// with a place function), the workers also convert: the splitter counts
// each block's commas, which is its number of values when it parses (a
// non-final block ends after a comma, and every comma follows one value),
// so each block knows its first record before any earlier block is
// parsed. A worker places the records wholly inside its block; the
// converter only completes records split between blocks, checks the
// counts, and reports the first error in input order.
//
// Reading, parsing and converting overlap; buffers are recycled through a
// fixed pool, so memory in flight is a few blocks whatever the input size.

var (
	// loadBlockSize is the text size of one block: big enough that the
	// hand-offs cost nothing, small enough that the blocks in flight (text
	// and up to 4x its size in values, 2×GOMAXPROCS+2 of them) stay a few
	// MB. Tests shrink it to split tiny inputs into many blocks.
	loadBlockSize = 256 << 10
	// loadWorkers is the number of parsing goroutines; 0 means GOMAXPROCS.
	// With one, records() parses sequentially (no pipeline to pay for).
	loadWorkers = 0
)

// parallelSection reports the sections worth a pipeline: the rest are
// small (locations: one per closure, 1-4 % of a big file).
func parallelSection(section string) bool {
	return section == "nodes" || section == "edges" || section == "locations"
}

func workerCount() int {
	if loadWorkers > 0 {
		return loadWorkers
	}
	return runtime.GOMAXPROCS(0)
}

// numBlock is one block of a number section's text and what parsing it gave.
type numBlock struct {
	text  []byte
	off   int64 // input offset of text[0]
	first bool  // text starts right after the section's '['
	final bool  // text ends with the section's ']' or the end of input
	rerr  error // read error at the end of input (final blocks)

	startVal int // values before this block (its commas counted by the splitter)
	commas   int

	vals   []uint64
	n      int   // values parsed into vals
	closed bool  // the closing ']' was consumed
	endOff int64 // input offset where parsing stopped
	err    error
	done   chan struct{} // one send per parse

	// With a place function: the whole records [r0, r1) were converted by
	// the worker (placed), with perr its conversion error.
	placed bool
	r0, r1 int
	perr   error
}

// parse runs the sequential numbers() loop over the block. A scanner
// marked block treats the end of its buffer as the end of the block, not
// of the input.
func (b *numBlock) parse(section string) {
	s := scanner{buf: b.text, end: len(b.text), base: b.off, eof: true, block: !b.final, rerr: b.rerr,
		wantValue: true, first: b.first}
	need := len(b.text)/2 + 1 // at most one value per two bytes ("1,"), plus a last one
	if cap(b.vals) < need {
		b.vals = make([]uint64, need)
	}
	b.n, b.closed, b.err = s.numbers(b.vals[:need], section)
	b.endOff = s.offset()
}

// placeRecords converts the records wholly inside the block with place,
// unless they would pass limit (the converter then reports it in order).
func (b *numBlock) placeRecords(width, limit int, place placeFunc) {
	b.placed, b.perr = false, nil
	if place == nil || b.err != nil || !b.final && b.n != b.commas {
		return
	}
	b.r0 = (b.startVal + width - 1) / width
	b.r1 = (b.startVal + b.n) / width
	if b.r1 <= b.r0 || b.r1 > limit {
		return
	}
	v0 := b.r0*width - b.startVal
	b.perr = place(b.vals[v0:v0+(b.r1-b.r0)*width], b.r0, b.endOff)
	b.placed = true
}

// recordsParallel is records() for a big section, after its '['.
func (l *loader) recordsParallel(section string, width, limit int, fn func(batch []uint64, first int) error, place placeFunc) (int, error) {
	workers := workerCount()
	pool := l.blockPool(2*workers + 2)
	todo := make(chan *numBlock, cap(pool))
	order := make(chan *numBlock, cap(pool))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range todo {
				b.parse(section)
				b.placeRecords(width, limit, place)
				b.done <- struct{}{}
			}
		}()
	}
	split := make(chan struct{})
	go func() {
		defer close(split)
		l.sc.split(pool, todo, order, stop)
	}()

	count, err := l.convert(section, width, limit, fn, pool, order)
	if err != nil {
		close(stop)
		for b := range order { // let every dispatched block finish
			<-b.done
		}
	}
	<-split
	wg.Wait()
	return count, err
}

// blockPool returns a pool of n blocks, the same ones for every section:
// their buffers (a few MB) are then faulted in once per load, not once
// per section (fresh 4 KiB pages cost this project's VMs 25-70 µs each).
// The previous section's goroutines are done with them by now.
func (l *loader) blockPool(n int) chan *numBlock {
	if len(l.blocks) != n {
		l.blocks = make([]*numBlock, n)
		for i := range l.blocks {
			l.blocks[i] = &numBlock{done: make(chan struct{}, 1)}
		}
	}
	pool := make(chan *numBlock, n)
	for _, b := range l.blocks {
		select {
		case <-b.done: // a signal an error path left unread
		default:
		}
		pool <- b
	}
	return pool
}

// convert hands the parsed blocks' records to fn in input order.
func (l *loader) convert(section string, width, limit int, fn func(batch []uint64, first int) error,
	pool, order chan *numBlock) (int, error) {
	count, values := 0, 0
	carry := make([]uint64, 0, width)
	emit := func(batch []uint64, endOff int64) error {
		recs := len(batch) / width
		if recs == 0 {
			return nil
		}
		if count+recs > limit {
			return &SyntaxError{Offset: endOff, Msg: fmt.Sprintf("%q has more than the %d records the header announces", section, limit)}
		}
		l.errAt = endOff
		defer func() { l.errAt = -1 }()
		if err := fn(batch, count); err != nil {
			return err
		}
		count += recs
		return nil
	}
	for b := range order {
		<-b.done
		if b.err != nil {
			return count, b.err
		}
		if b.startVal != values {
			return count, fmt.Errorf("heapsnapshot: internal error: block at offset %d starts at value %d, not %d", b.off, b.startVal, values)
		}
		vals := b.vals[:b.n]
		values += len(vals)
		if len(carry) > 0 {
			k := min(width-len(carry), len(vals))
			carry, vals = append(carry, vals[:k]...), vals[k:]
			if len(carry) == width {
				if err := emit(carry, b.endOff); err != nil {
					return count, err
				}
				carry = carry[:0]
			}
		}
		whole := len(vals) / width * width
		if b.placed {
			recs := b.r1 - b.r0
			if count != b.r0 || recs != whole/width {
				return count, fmt.Errorf("heapsnapshot: internal error: block at offset %d placed records %d-%d, expected from %d", b.off, b.r0, b.r1, count)
			}
			if b.perr != nil {
				return count, b.perr
			}
			count += recs
		} else if err := emit(vals[:whole], b.endOff); err != nil {
			return count, err
		}
		carry = append(carry, vals[whole:]...)
		closed, endOff := b.closed, b.endOff
		pool <- b
		if closed {
			if len(carry) != 0 {
				return count, &SyntaxError{Offset: endOff, Msg: fmt.Sprintf("%q has %d values, not a multiple of %d fields", section, values, width)}
			}
			return count, nil
		}
	}
	return count, errors.New("heapsnapshot: internal error: number section ended without ']' or an error")
}

// split reads the section's text into blocks (see the top of the file) and
// queues each to the workers and, in order, to the converter. The bytes
// after the closing ']' are put back into the scanner's buffer, so the
// sequential scan goes on from there.
func (s *scanner) split(pool, todo, order chan *numBlock, stop chan struct{}) {
	defer close(order)
	defer close(todo)
	pending := s.buf[s.pos:s.end] // bytes the scanner already holds
	off := s.offset()
	var carry []byte
	first := true
	values := 0
	for {
		var b *numBlock
		select {
		case b = <-pool:
		case <-stop:
			return
		}
		text := append(b.text[:0], carry...)
		// Bytes the scanner holds come first, a block's worth, extended to
		// the next separator so that a block never waits on the reader
		// while older bytes are still held.
		take := min(len(pending), max(loadBlockSize-len(text), 0))
		if take < len(pending) {
			if j := bytes.IndexAny(pending[take:], ",]"); j >= 0 {
				take += j + 1
			} else {
				take = len(pending)
			}
		}
		text, pending = append(text, pending[:take]...), pending[take:]
		text, final, leftover := s.fill(text, len(pending) > 0)
		if !final {
			cut := bytes.LastIndexByte(text, ',') + 1
			carry = append(carry[:0], text[cut:]...)
			text = text[:cut]
		}
		b.text, b.off, b.first, b.final, b.rerr = text, off, first, final, nil
		b.commas = bytes.Count(text, comma)
		b.startVal, values = values, values+b.commas
		if final {
			b.rerr = s.rerr
		}
		off += int64(len(text))
		first = false
		select {
		case todo <- b:
		case <-stop:
			return
		}
		order <- b // never blocks: order has room for every block in the pool
		if final {
			s.putBack(leftover, pending, off)
			return
		}
	}
}

// fill reads until text holds at least loadBlockSize bytes and a comma, the
// section's ']', or the end of input. final is true for the last block;
// leftover is what follows its ']'. held says the scanner's buffer still
// holds bytes after text: then text ends a block, not the input.
func (s *scanner) fill(text []byte, held bool) (_ []byte, final bool, leftover []byte) {
	searched := 0
	for {
		if i := bytes.IndexByte(text[searched:], ']'); i >= 0 {
			end := searched + i + 1
			return text[:end], true, text[end:]
		}
		searched = len(text)
		if held && bytes.IndexByte(text, ',') >= 0 {
			return text, false, nil
		}
		if s.eof && !held {
			return text, true, nil
		}
		if len(text) >= loadBlockSize && bytes.IndexByte(text, ',') >= 0 {
			return text, false, nil
		}
		if len(text) == cap(text) {
			text = append(text, make([]byte, max(loadBlockSize, 512))...)[:len(text)]
		}
		n, err := s.r.Read(text[len(text):cap(text)])
		text = text[:len(text)+n]
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
		}
	}
}

var comma = []byte{','}

// putBack makes leftover (input from offset off) followed by held (bytes
// still in the scanner's buffer) the scanner's unread bytes.
func (s *scanner) putBack(leftover, held []byte, off int64) {
	n := len(leftover) + len(held)
	buf := s.buf
	if n > len(buf) {
		buf = make([]byte, n)
	}
	copy(buf[len(leftover):], held) // a memmove: held may lie in buf
	copy(buf, leftover)
	s.buf, s.pos, s.end, s.base = buf, 0, n, off
}
