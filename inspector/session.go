package inspector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/chromedp/cdproto/cdp"
	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/coder/websocket"
)

// maxMessage bounds one protocol message. V8 sends snapshot chunks of about
// 100 KB; other replies are small. A larger message means a confused peer.
const maxMessage = 64 << 20

// eventBuffer is how many events of one kind may wait for their reader. The
// reader of the socket blocks beyond it, so TCP flow control slows the
// sender down instead of this process buffering a whole snapshot.
const eventBuffer = 16

// Session is one inspector protocol connection. It implements cdp.Session,
// so the typed commands and events of github.com/chromedp/cdproto run on it.
type Session struct {
	conn   *websocket.Conn
	url    string
	nextID atomic.Int64

	mu      sync.Mutex
	pending map[int64]chan reply
	subs    map[string][]*subscription
	chunks  *chunkSub   // the reader of snapshot text (chunks.go)
	free    chan []byte // chunk buffers to reuse
	// slowChunks counts the chunk events the fast path of chunks.go did
	// not take; the tests check that real Node versions never need it.
	slowChunks atomic.Int64

	done chan struct{} // closed when the read loop ends
	err  error         // why it ended; set before done closes
}

var _ cdp.Session = (*Session)(nil)

type subscription struct {
	ch   chan jsonv2.Value
	stop chan struct{}
}

// message is the envelope of every protocol message: a reply has an ID, an
// event has a Method.
type message struct {
	ID     int64          `json:"id,omitempty"`
	Method string         `json:"method,omitempty"`
	Params jsonv2.Value   `json:"params,omitempty"`
	Result jsonv2.Value   `json:"result,omitempty"`
	Error  *ProtocolError `json:"error,omitempty"`
}

type reply struct {
	result jsonv2.Value
	err    error
}

// ProtocolError is an error the inspected process answered a command with.
type ProtocolError struct {
	Code    int64  `json:"code"`
	Message string `json:"message"`
}

func (e *ProtocolError) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

// ErrClosed is returned by calls on a session whose connection ended; the
// error wraps it together with the reason.
var ErrClosed = errors.New("inspector connection closed")

// Dial opens a session on the WebSocket URL of an inspector target.
func Dial(ctx context.Context, wsURL string) (*Session, error) {
	conn, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return nil, dialError(wsURL, resp, err)
	}
	conn.SetReadLimit(maxMessage)
	s := &Session{
		conn:    conn,
		url:     wsURL,
		pending: map[int64]chan reply{},
		subs:    map[string][]*subscription{},
		done:    make(chan struct{}),
		free:    make(chan []byte, eventBuffer+2),
	}
	go s.readLoop()
	return s, nil
}

// URL is the WebSocket URL the session is connected to.
func (s *Session) URL() string { return s.url }

// Done is closed when the connection has ended; Err then says why.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is why the connection ended (wrapping ErrClosed), or nil while it is open.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close ends the connection.
func (s *Session) Close() error {
	// The peer may be gone already; there is nothing to report then.
	_ = s.conn.Close(websocket.StatusNormalClosure, "")
	<-s.done
	return nil
}

// Call sends a command and waits for its reply (cdp.Session).
func (s *Session) Call(ctx context.Context, method string, params, result any) error {
	id := s.nextID.Add(1)
	var raw jsonv2.Value
	if params != nil {
		b, err := jsonv2.Marshal(params)
		if err != nil {
			return fmt.Errorf("%s: encoding params: %w", method, err)
		}
		raw = b
	}
	msg, err := jsonv2.Marshal(message{ID: id, Method: method, Params: raw})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	ch := make(chan reply, 1)
	s.mu.Lock()
	s.pending[id] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.pending, id)
		s.mu.Unlock()
	}()
	if err := s.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		if e := s.Err(); e != nil {
			return fmt.Errorf("%s: %w", method, e)
		}
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("%s: %w", method, r.err)
		}
		if result != nil && len(r.result) > 0 {
			if err := jsonv2.Unmarshal(r.result, result); err != nil {
				return fmt.Errorf("%s: decoding result: %w", method, err)
			}
		}
		return nil
	case <-s.done:
		return fmt.Errorf("%s: %w", method, s.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Subscribe delivers the params of every later event of method on the
// returned channel until cancel is called (cdp.Session). The channel closes
// when the connection ends. A subscriber that does not read stalls the
// connection (see eventBuffer): that bounds memory, and every caller here
// reads until it has what it waits for. Snapshot chunks are the exception:
// they go to Capture only, decoded (chunks.go).
func (s *Session) Subscribe(method string) (<-chan jsonv2.Value, func()) {
	sub := &subscription{ch: make(chan jsonv2.Value, eventBuffer), stop: make(chan struct{})}
	s.mu.Lock()
	select {
	case <-s.done:
		close(sub.ch)
	default:
		s.subs[method] = append(s.subs[method], sub)
	}
	s.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			close(sub.stop)
			s.mu.Lock()
			list := s.subs[method]
			for i, x := range list {
				if x == sub {
					s.subs[method] = append(list[:i:i], list[i+1:]...)
					break
				}
			}
			s.mu.Unlock()
		})
	}
}

// readLoop reads every message and hands replies to their callers and
// events to their subscribers, in the order they arrive: the chunks of a
// snapshot therefore all reach their subscriber before the reply that ends
// the command.
func (s *Session) readLoop() {
	var buf bytes.Buffer // reused: messages are decoded before the next read
	var err error
	for {
		if err = s.readMessage(&buf); err != nil {
			break
		}
		if !s.fastChunk(buf.Bytes()) {
			if err = s.dispatch(buf.Bytes()); err != nil {
				break
			}
		}
		if buf.Cap() > maxKeptBuffer {
			buf = bytes.Buffer{} // a rare big message: let it go
		}
	}
	s.finish(err)
}

// maxKeptBuffer bounds the read buffer readLoop keeps between messages.
const maxKeptBuffer = 4 << 20

// readMessage reads the next message into buf, replacing its contents.
func (s *Session) readMessage(buf *bytes.Buffer) error {
	_, r, err := s.conn.Reader(context.Background())
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(r)
	return err
}

// dispatch decodes a message in full and delivers it.
func (s *Session) dispatch(data []byte) error {
	var m message
	if err := jsonv2.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("undecodable message from the inspector: %w", err)
	}
	switch {
	case m.ID != 0:
		s.deliverReply(m)
	case m.Method == heapprofiler.AddHeapSnapshotChunk.Method:
		s.slowChunks.Add(1)
		text, err := chunkText(m.Params)
		if err != nil {
			return err
		}
		s.deliverChunk(text)
	default:
		s.deliverEvent(m)
	}
	return nil
}

func (s *Session) deliverReply(m message) {
	s.mu.Lock()
	ch := s.pending[m.ID]
	s.mu.Unlock()
	if ch == nil {
		return // the caller gave up
	}
	r := reply{result: m.Result}
	if m.Error != nil {
		r.err = m.Error
	}
	ch <- r
}

func (s *Session) deliverEvent(m message) {
	s.mu.Lock()
	subs := append([]*subscription(nil), s.subs[m.Method]...)
	s.mu.Unlock()
	for _, sub := range subs {
		select {
		case sub.ch <- m.Params:
		case <-sub.stop:
		}
	}
}

// finish records why the connection ended and wakes every waiter.
func (s *Session) finish(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch websocket.CloseStatus(err) {
	case websocket.StatusNormalClosure, websocket.StatusGoingAway:
		s.err = fmt.Errorf("%w: the inspected process closed it", ErrClosed)
	default:
		s.err = fmt.Errorf("%w: %v", ErrClosed, err)
	}
	for _, list := range s.subs {
		for _, sub := range list {
			close(sub.ch)
		}
	}
	s.subs = map[string][]*subscription{}
	if s.chunks != nil {
		close(s.chunks.ch)
		s.chunks = nil
	}
	close(s.done)
}
