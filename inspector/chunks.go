package inspector

import (
	"bytes"
	"fmt"
	"sync"

	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/heapprofiler"
)

// Snapshot chunks are nearly all a capture reads: a 1 GB heap is several
// GB of snapshot text in ~100 KB HeapProfiler.addHeapSnapshotChunk events.
// Decoding them like other events (the envelope, then the params, into a
// new string each time) cost leaklsp as much CPU as compressing them, so
// they take a path of their own: the read loop unescapes the chunk string
// straight out of the message into a recycled buffer.

// chunkPrefix and chunkSuffix frame a chunk event as V8 writes it. A
// message of another shape still decodes, through jsonv2 (readLoop).
var (
	chunkPrefix = []byte(`{"method":"` + heapprofiler.AddHeapSnapshotChunk.Method + `","params":{"chunk":"`)
	chunkSuffix = []byte(`"}}`)
)

// chunkBody is the escaped text of data if data is a chunk event of the
// usual shape.
func chunkBody(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, chunkPrefix) || !bytes.HasSuffix(data, chunkSuffix) {
		return nil, false
	}
	return data[len(chunkPrefix) : len(data)-len(chunkSuffix)], true
}

// fastChunk delivers the chunk event data, if it has the usual shape and
// the text only the usual escapes.
func (s *Session) fastChunk(data []byte) bool {
	body, ok := chunkBody(data)
	if !ok {
		return false
	}
	b := s.chunkBuffer()
	text, ok := appendUnescaped(b, body)
	if !ok {
		s.recycle(b)
		return false
	}
	s.deliverChunk(text)
	return true
}

// chunkText decodes the params of a chunk event the slow way.
func chunkText(params jsonv2.Value) ([]byte, error) {
	var ev heapprofiler.EventAddHeapSnapshotChunk
	if err := jsonv2.Unmarshal(params, &ev); err != nil {
		return nil, fmt.Errorf("decoding a snapshot chunk: %w", err)
	}
	return []byte(ev.Chunk), nil
}

// appendUnescaped appends the JSON string body src (the text between the
// quotes) to dst, unescaped. It handles what V8 writes in snapshot text:
// printable ASCII and the two-character escapes. Anything else (\u
// escapes, raw bytes ≥ 0x80 or < 0x20, an unescaped quote, which would
// mean src is not one string) makes it return false, and the caller
// decodes the message with the full JSON decoder instead.
func appendUnescaped(dst, src []byte) ([]byte, bool) {
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\\')
		if i < 0 {
			i = len(src)
		}
		if !plainASCII(src[:i]) {
			return dst, false
		}
		dst = append(dst, src[:i]...)
		if i == len(src) {
			return dst, true
		}
		if i+1 == len(src) {
			return dst, false
		}
		c, ok := unescapeByte(src[i+1])
		if !ok {
			return dst, false
		}
		dst = append(dst, c)
		src = src[i+2:]
	}
	return dst, true
}

// plainASCII: no quote, no control character, nothing beyond ASCII.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == '"' {
			return false
		}
	}
	return true
}

func unescapeByte(c byte) (byte, bool) {
	switch c {
	case '"', '\\', '/':
		return c, true
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	}
	return 0, false
}

// chunkSub is the one reader of snapshot text a session can have.
type chunkSub struct {
	ch   chan []byte
	stop chan struct{}
}

// subscribeChunks delivers the decoded text of every later snapshot chunk
// until cancel is called; the channel closes when the connection ends.
// The reader hands each buffer back with recycle once written. Like
// Subscribe, a reader that stalls stalls the connection.
func (s *Session) subscribeChunks() (<-chan []byte, func()) {
	sub := &chunkSub{ch: make(chan []byte, eventBuffer), stop: make(chan struct{})}
	s.mu.Lock()
	select {
	case <-s.done:
		close(sub.ch)
	default:
		s.chunks = sub
	}
	s.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			close(sub.stop)
			s.mu.Lock()
			if s.chunks == sub {
				s.chunks = nil
			}
			s.mu.Unlock()
		})
	}
}

// chunkBuffer is an empty buffer for the next chunk's text: a recycled
// one when there is one, so a capture allocates a few buffers in all.
func (s *Session) chunkBuffer() []byte {
	select {
	case b := <-s.free:
		return b
	default:
		return make([]byte, 0, 128<<10)
	}
}

// recycle takes back a buffer subscribeChunks delivered.
func (s *Session) recycle(b []byte) {
	select {
	case s.free <- b[:0]:
	default:
	}
}

func (s *Session) deliverChunk(text []byte) {
	s.mu.Lock()
	sub := s.chunks
	s.mu.Unlock()
	if sub == nil {
		return
	}
	select {
	case sub.ch <- text:
	case <-sub.stop:
	}
}
