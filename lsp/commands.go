package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

// ExecuteCommand runs one of the server's commands:
//
//	leaklsp.server.openSnapshot     [{"path": "/abs/x.heapsnapshot[.gz]"}] or ["/abs/x…"]
//	leaklsp.server.compareSnapshots [{"baseline": "…", "target": "…"}]
//	leaklsp.server.closeSnapshot    []
//	leaklsp.server.scanWorkspace    []
//
// Paths may also be file:// URIs; relative paths resolve against the first
// workspace folder.
func (s *Server) ExecuteCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	var result any
	var err error
	switch p.Command {
	case CmdOpenSnapshot:
		var path string
		if path, err = s.argPath(p.Arguments, "path"); err == nil {
			result, err = s.load(ctx, path, "", p.WorkDoneToken)
		}
	case CmdCompareSnapshots:
		var base, target string
		if base, err = s.argPath(p.Arguments, "baseline"); err == nil {
			if target, err = s.argPath(p.Arguments, "target"); err == nil {
				result, err = s.load(ctx, target, base, p.WorkDoneToken)
			}
		}
	case CmdCloseSnapshot:
		s.closeSnapshot()
		result = map[string]bool{"closed": true}
	case CmdScanWorkspace:
		var n int
		n, err = s.scanWorkspace(ctx, p.WorkDoneToken)
		result = map[string]int{"findings": n}
	default:
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unknown command %q", p.Command)
	}
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(result)
	return protocol.LSPAny(raw), err
}

// argPath reads a path argument: the key of the first argument object, or
// a plain string first argument (for openSnapshot's "path").
func (s *Server) argPath(args []protocol.LSPAny, key string) (string, error) {
	if len(args) == 0 {
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "missing argument %q", key)
	}
	var raw string
	var obj map[string]json.RawMessage
	switch {
	case json.Unmarshal(args[0], &obj) == nil && obj != nil:
		v, ok := obj[key]
		if !ok || json.Unmarshal(v, &raw) != nil {
			return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "argument %q must be a string", key)
		}
	case key == "path" && json.Unmarshal(args[0], &raw) == nil:
	default:
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "want [{%q: path}]", key)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "argument %q is empty", key)
	}
	if strings.HasPrefix(raw, "file:") {
		u, err := uri.Parse(raw)
		if err != nil {
			return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "bad URI %q: %v", raw, err)
		}
		raw = u.FsPath()
	}
	if !filepath.IsAbs(raw) {
		s.mu.Lock()
		if len(s.roots) > 0 {
			raw = filepath.Join(s.roots[0], raw)
		}
		s.mu.Unlock()
	}
	return filepath.Clean(raw), nil
}

// scanWorkspace scans every workspace folder from disk and publishes the
// findings of files that are not open. It returns the number of findings.
func (s *Server) scanWorkspace(ctx context.Context, token protocol.ProgressToken) (int, error) {
	s.mu.Lock()
	roots, st := s.roots, s.settings
	s.scanGen++
	gen := s.scanGen
	s.mu.Unlock()
	if len(roots) == 0 {
		return 0, nil
	}
	prog := s.startProgress(ctx, token, "Scanning workspace", "")
	disk := map[string][]jsscan.Finding{}
	total := 0
	var errs []error
	for i, root := range roots {
		if ctx.Err() != nil {
			prog.end("cancelled")
			return 0, protocol.ErrRequestCancelled
		}
		prog.report(i*100/len(roots), root)
		fs, err := safely("scanning "+root, func() ([]jsscan.Finding, error) {
			return s.opts.ScanDir(root, jsscan.DirOptions{IncludeNodeModules: st.IncludeNodeModules})
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", root, err))
		}
		for _, f := range fs {
			p := f.Path
			if !filepath.IsAbs(p) {
				p = filepath.Join(root, p)
			}
			f.Path = filepath.Clean(p)
			disk[f.Path] = append(disk[f.Path], f)
			total++
		}
	}
	s.mu.Lock()
	if gen != s.scanGen { // a newer scan started; let it publish
		s.mu.Unlock()
		prog.end("superseded")
		return total, nil
	}
	old := s.disk
	s.disk = disk
	s.mu.Unlock()
	for p := range old {
		if _, ok := disk[p]; !ok {
			s.publish(p)
		}
	}
	for p := range disk {
		s.publish(p)
	}
	prog.end(fmt.Sprintf("%d findings", total))
	if err := errors.Join(errs...); err != nil {
		s.log.Warn("workspace scan", "err", err)
	}
	return total, nil
}
