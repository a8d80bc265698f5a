package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// codeRequestFailed is LSP's RequestFailed (-32803): the request was valid
// but the server could not do it (a snapshot that does not load).
const codeRequestFailed jsonrpc2.Code = -32803

// Serve runs the language server on rwc (stdio in production, a pipe in
// tests) until the connection ends or the client sends `exit`.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	s := NewServer(opts)
	conn := s.Connect(ctx, rwc)
	<-conn.Done()
	return conn.Err()
}

// Connect builds the connection the way protocol.NewServer would, plus
// middleware: protocol.NewServer offers no hook for it and its codec is
// unexported, so the codec and the chain are assembled here.
func (s *Server) Connect(ctx context.Context, rwc io.ReadWriteCloser) jsonrpc2.Conn {
	stream := &tolerantStream{Stream: jsonrpc2.NewStream(rwc), log: s.log}
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(Codec{}))
	s.client = protocol.ClientDispatcher(conn)
	ctx = protocol.WithLogger(ctx, s.log)
	ctx = protocol.WithClient(ctx, s.client)
	s.ctx = ctx
	inner := guard(s.log, s.refuseAfterShutdown(s.customHandler(protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler))))
	// The outer guard covers $/cancelRequest, which protocol.CancelHandler
	// answers itself (a malformed one would otherwise close the connection).
	conn.Go(ctx, guard(s.log, protocol.CancelHandler(async(inner))))
	go func() { // the client went away without exit: stop the document workers
		<-conn.Done()
		s.stopWorkers()
	}()
	return conn
}

// inOrder are the notifications handled inline on the read loop, in wire
// order: text synchronisation must apply edits in the order they were sent
// (lsp-libs.md B3), the last configuration sent must be the one that holds,
// and each is quick (scans, loads and re-mapping run on goroutines).
var inOrder = map[string]bool{
	protocol.MethodTextDocumentDidOpen:             true,
	protocol.MethodTextDocumentDidChange:           true,
	protocol.MethodTextDocumentDidClose:            true,
	protocol.MethodTextDocumentDidSave:             true,
	protocol.MethodWorkspaceDidChangeConfiguration: true,
	protocol.MethodInitialized:                     true,
	protocol.MethodExit:                            true,
}

// async is jsonrpc2.AsyncHandler except for the inOrder notifications.
func async(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() || !inOrder[req.Method()] {
			jsonrpc2.Async(ctx)
		}
		return next(ctx, req)
	}
}

// refuseAfterShutdown answers every request after shutdown with
// InvalidRequest, as the LSP spec asks; notifications (exit) still pass.
func (s *Server) refuseAfterShutdown(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		s.mu.Lock()
		down := s.shutdown
		s.mu.Unlock()
		if down && req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown", req.Method())
		}
		return next(ctx, req)
	}
}

// Codec passes raw JSON through and encodes everything else with the
// protocol package's union-aware encoder (what protocol's own codec does).
type Codec struct{}

// Marshal implements jsonrpc2.Codec.
func (Codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case json.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

// Unmarshal implements jsonrpc2.Codec.
func (Codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// guard keeps one bad message from ending the session: jsonrpc2 v1 closes
// the connection when a notification handler fails or any handler panics
// (lsp-libs.md B1, B2). It also gives cancelled requests LSP's -32800 and
// undecodable params -32602.
func guard(log *slog.Logger, next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (res any, err error) {
		method, isCall := strings.Clone(req.Method()), req.IsCall()
		defer func() {
			if r := recover(); r != nil {
				log.Error("handler panic", "method", method, "panic", r)
				res, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "leaklsp: internal error in %s: %v", method, r)
			}
			if err == nil {
				return
			}
			if !isCall {
				log.Warn("notification failed", "method", method, "err", err)
				res, err = nil, nil
				return
			}
			switch {
			case errors.Is(err, context.Canceled), errors.Is(err, protocol.ErrRequestCancelled):
				err = protocol.ErrRequestCancelled
			case errors.Is(err, jsonrpc2.ErrParse):
				err = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: invalid params: %v", method, err)
			}
		}()
		return next(ctx, req)
	}
}

// tolerantStream skips frames whose body is not a JSON-RPC message instead
// of failing the connection; a call with a readable id is answered with
// InvalidRequest. Transport errors (EOF, bad headers) still end it.
type tolerantStream struct {
	jsonrpc2.Stream
	log *slog.Logger
}

type frameReader interface {
	ReadFrame(ctx context.Context) ([]byte, int64, error)
}

// Read implements jsonrpc2.Stream. It hides the inner stream's ReadFrame
// fast path, so every frame is decoded here.
func (t *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	fr, ok := t.Stream.(frameReader)
	if !ok {
		return t.Stream.Read(ctx)
	}
	for {
		body, n, err := fr.ReadFrame(ctx)
		if err != nil {
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		t.log.Warn("dropping malformed message", "err", err, "bytes", len(body))
		t.answerInvalid(ctx, body, err)
	}
}

// answerInvalid replies InvalidRequest to a malformed message that still has
// an id, so the client is not left waiting.
func (t *tolerantStream) answerInvalid(ctx context.Context, body []byte, cause error) {
	var probe struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &probe) != nil || len(probe.ID) == 0 || probe.Result != nil || probe.Error != nil {
		return
	}
	var id jsonrpc2.ID
	var num int64
	var str string
	switch {
	case json.Unmarshal(probe.ID, &num) == nil:
		id = jsonrpc2.NewNumberID(num)
	case json.Unmarshal(probe.ID, &str) == nil:
		id = jsonrpc2.NewStringID(str)
	default:
		return
	}
	resp := jsonrpc2.NewResponse(id, nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "invalid request: %v", cause))
	if _, err := t.Stream.Write(ctx, resp); err != nil {
		t.log.Warn("cannot answer malformed request", "err", fmt.Sprint(err))
	}
}
