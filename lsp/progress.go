package lsp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"
)

var tokenSeq atomic.Int64

// progress reports one long operation through $/progress. It is a no-op
// when the client gave no token and does not support
// window/workDoneProgress/create.
type progress struct {
	s     *Server
	ctx   context.Context
	token protocol.ProgressToken

	mu    sync.Mutex
	last  int  // last percentage sent
	ended bool // after "end" nothing more may be sent
}

// startProgress begins a progress report, with the request's workDoneToken
// if it has one, else a server-created token when the client supports it.
func (s *Server) startProgress(ctx context.Context, token protocol.ProgressToken, title, msg string) *progress {
	// Reports go out on the connection's context: a cancelled request still
	// owes the client its "end".
	p := &progress{s: s, ctx: s.ctx, last: -1}
	s.mu.Lock()
	supported := s.progressOK
	s.mu.Unlock()
	switch {
	case token != nil:
		p.token = token
	case supported:
		t := protocol.String(fmt.Sprintf("leaklsp/%d", tokenSeq.Add(1)))
		if err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: t}); err != nil {
			s.log.Warn("workDoneProgress/create", "err", err)
			return p
		}
		p.token = t
	default:
		return p
	}
	begin := &protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Percentage: ptr(uint32(0)), Cancellable: ptr(false)}
	if msg != "" {
		begin.Message = ptr(msg)
	}
	p.send(begin)
	return p
}

// report sends a percentage, only when it changed.
func (p *progress) report(pct int, msg string) {
	if p.token == nil {
		return
	}
	pct = min(max(pct, 0), 100)
	p.mu.Lock() // held while sending, so no report can follow "end"
	defer p.mu.Unlock()
	if pct == p.last || p.ended {
		return
	}
	p.last = pct
	r := &protocol.WorkDoneProgressReport{Kind: "report", Percentage: ptr(uint32(pct))}
	if msg != "" {
		r.Message = ptr(msg)
	}
	p.send(r)
}

func (p *progress) end(msg string) {
	if p.token == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended {
		p.ended = true
		p.send(&protocol.WorkDoneProgressEnd{Kind: "end", Message: ptr(msg)})
	}
}

func (p *progress) send(v any) {
	raw, err := protocol.Marshal(v)
	if err != nil {
		p.s.log.Error("progress marshal", "err", err)
		return
	}
	if err := p.s.client.Progress(p.ctx, &protocol.ProgressParams{Token: p.token, Value: protocol.LSPAny(raw)}); err != nil {
		p.s.log.Warn("$/progress", "err", err)
	}
}
