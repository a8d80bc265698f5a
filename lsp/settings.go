package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/workspace"
)

// Settings are the server's options, from initializationOptions and
// workspace/didChangeConfiguration: {"settings": {"leaklsp": {...}}},
// {"leaklsp": {...}} or the bare object.
type Settings struct {
	Snapshot           string            `json:"snapshot"`           // load at startup / when changed
	Baseline           string            `json:"baseline"`           // compare Snapshot against it
	PathMappings       map[string]string `json:"pathMappings"`       // snapshot prefix -> local dir
	Rules              map[string]bool   `json:"rules"`              // code -> enabled
	IncludeNodeModules bool              `json:"includeNodeModules"` // scan and map node_modules
	DebounceMs         int               `json:"debounceMs"`         // delay before scanning an edited document
	Lens               LensSettings      `json:"lens"`               // heap CodeLens thresholds (lens.go)
}

func defaultSettings() Settings { return Settings{DebounceMs: 200, Lens: defaultLensSettings()} }

// parseSettings decodes raw settings, unwrapping "settings" and "leaklsp".
func parseSettings(raw []byte) (Settings, error) {
	raw = bytes.TrimSpace(raw)
	st := defaultSettings()
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return st, nil
	}
	for _, key := range []string{"settings", "leaklsp"} {
		var wrap map[string]json.RawMessage
		if err := json.Unmarshal(raw, &wrap); err != nil {
			return st, err
		}
		if inner, ok := wrap[key]; ok && len(bytes.TrimSpace(inner)) > 0 && inner[0] == '{' {
			raw = inner
		}
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return defaultSettings(), err
	}
	if st.DebounceMs < 0 || st.DebounceMs > 10_000 {
		return defaultSettings(), errors.New("debounceMs must be within 0..10000")
	}
	switch st.Lens.Style {
	case "", LensStyleCodeLens, LensStyleInlayHint:
	default:
		return defaultSettings(), fmt.Errorf("lens.style %q: want %q or %q", st.Lens.Style, LensStyleCodeLens, LensStyleInlayHint)
	}
	return st, nil
}

// noSettings reports settings that carry nothing: null, {} or a wrapper
// around one of them. They change nothing (initializationOptions stay).
func noSettings(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return true
	}
	var wrap map[string]json.RawMessage
	if json.Unmarshal(raw, &wrap) != nil {
		return false
	}
	if len(wrap) == 0 {
		return true
	}
	for _, key := range []string{"settings", "leaklsp"} {
		if inner, ok := wrap[key]; ok && len(wrap) == 1 {
			return noSettings(inner)
		}
	}
	return false
}

// resolve makes relative snapshot paths relative to the first root.
func (st Settings) resolve(roots []string) Settings {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || len(roots) == 0 {
			return p
		}
		return filepath.Join(roots[0], p)
	}
	st.Snapshot, st.Baseline = abs(st.Snapshot), abs(st.Baseline)
	return st
}

func (s *Server) debounce() time.Duration {
	if s.opts.Debounce != nil {
		return *s.opts.Debounce
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(s.settings.DebounceMs) * time.Millisecond
}

func newMapper(roots []string, st Settings) *workspace.Mapper {
	return workspace.New(roots, workspace.Options{Mappings: st.PathMappings, IncludeNodeModules: st.IncludeNodeModules})
}

// DidChangeConfiguration applies new settings: a changed snapshot loads,
// changed mappings re-map the loaded suspects, and everything republishes.
func (s *Server) DidChangeConfiguration(_ context.Context, p *protocol.DidChangeConfigurationParams) error {
	if noSettings(p.Settings) {
		return nil // a "configuration changed" ping (vscode-languageclient sends {"settings": null})
	}
	st, err := parseSettings(p.Settings)
	if err != nil {
		return err // logged by guard; the old settings stay
	}
	s.mu.Lock()
	old := s.settings
	s.settings = st
	remap := old.IncludeNodeModules != st.IncludeNodeModules || !maps.Equal(old.PathMappings, st.PathMappings)
	if remap {
		s.mapper = newMapper(s.roots, st)
	}
	var rescan []*document // documents that became lintable
	for _, d := range s.docs {
		was := d.lintable
		d.lintable = s.inWorkspace(d.path, st, s.roots)
		if d.lintable && !was {
			rescan = append(rescan, d)
		}
	}
	s.mu.Unlock()
	for _, d := range rescan {
		d.worker.kick(true)
	}
	switch {
	case st.Snapshot != old.Snapshot || st.Baseline != old.Baseline:
		if st.Snapshot == "" {
			s.closeSnapshot()
		} else {
			go s.loadFromSettings(st)
		}
	case remap:
		go s.relocate() // maps the suspects again and republishes
	default:
		go s.republishAll()
	}
	if old.Lens != st.Lens {
		go s.refreshAnnotations()
	}
	if old.IncludeNodeModules != st.IncludeNodeModules { // rules apply at publication; this needs a rescan
		go s.scanWorkspace(s.ctx, nil)
	}
	return nil
}

// loadFromSettings loads the configured snapshot in the background; failures
// are shown to the user by load itself.
func (s *Server) loadFromSettings(st Settings) {
	s.mu.Lock()
	st = st.resolve(s.roots)
	s.mu.Unlock()
	if _, err := s.load(s.ctx, st.Snapshot, st.Baseline, nil); err != nil {
		s.log.Warn("snapshot from settings", "path", st.Snapshot, "err", err)
	}
}
