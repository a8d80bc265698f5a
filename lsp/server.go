package lsp

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/workspace"
)

// Command ids the server executes (workspace/executeCommand).
const (
	CmdOpenSnapshot     = "leaklsp.server.openSnapshot"
	CmdCompareSnapshots = "leaklsp.server.compareSnapshots"
	CmdCloseSnapshot    = "leaklsp.server.closeSnapshot"
	CmdScanWorkspace    = "leaklsp.server.scanWorkspace"
)

// KindFixAll is the code action kind for "apply every safe fix in the file",
// for editor.codeActionsOnSave.
const KindFixAll protocol.CodeActionKind = "source.fixAll.leaklsp"

// Options configures a Server.
type Options struct {
	Version string
	Logger  *slog.Logger // nil: discard
	// Exit ends the process on `exit` (os.Exit by default; tests replace it,
	// since conn.Close would block on the stdin reader, lsp-libs.md B5).
	Exit func(code int)
	// Debounce overrides the settings' debounceMs (tests use 0).
	Debounce *time.Duration
	// Scan and ScanDir default to jsscan's; tests substitute their own.
	Scan    func(path string, src []byte) []jsscan.Finding
	ScanDir func(root string, opts jsscan.DirOptions) ([]jsscan.Finding, error)
	// Index is the re-open index cache of analysed snapshots; nil uses
	// heap.DefaultIndexCache (LEAKLSP_INDEX_DIR, "off" disables it).
	Index *heap.IndexCache
}

// Server is the language server state. Handlers run concurrently
// (lsp-libs.md B3), so everything below mu is guarded by it.
type Server struct {
	protocol.UnimplementedServer

	opts  Options
	log   *slog.Logger
	index *heap.IndexCache // nil: every open parses
	// indexWrites are the background writes of re-open indexes (tests
	// wait for them).
	indexWrites sync.WaitGroup
	client      protocol.Client
	ctx         context.Context // connection lifetime, for background work

	mu          sync.Mutex
	settings    Settings
	roots       []string
	progressOK  bool // client announced window.workDoneProgress
	refreshLens bool // client takes workspace/codeLens/refresh
	refreshHint bool // client takes workspace/inlayHint/refresh
	createFiles bool // client applies edits that create files
	shutdown    bool
	docs        map[string]*document             // open documents by absolute path
	disk        map[string][]jsscan.Finding      // workspace-scan findings of files on disk
	heap        *heapState                       // loaded snapshot, nil if none
	published   map[string]bool                  // files whose last publication was non-empty
	current     map[string]*publishedDiagnostics // what code actions and hover see
	mapper      *workspace.Mapper
	loadGen     int    // increments per snapshot load; older loads are dropped
	stopLoading func() // stops the snapshot read of the current load
	scanGen     int

	pubMu sync.Mutex // serialises publications so a newer state is never overwritten
}

// NewServer returns a server ready to Connect.
func NewServer(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Exit == nil {
		opts.Exit = os.Exit
	}
	if opts.Scan == nil {
		opts.Scan = jsscan.Scan
	}
	if opts.ScanDir == nil {
		opts.ScanDir = jsscan.ScanDir
	}
	return &Server{
		opts: opts, log: log, ctx: context.Background(),
		index:     indexCache(opts, func(msg string) { log.Warn(msg) }),
		settings:  defaultSettings(),
		docs:      map[string]*document{},
		disk:      map[string][]jsscan.Finding{},
		published: map[string]bool{},
		current:   map[string]*publishedDiagnostics{},
	}
}

// Initialize records the workspace and settings and announces capabilities.
func (s *Server) Initialize(_ context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	var roots []string
	if folders, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range folders {
			if f.URI.IsFile() {
				roots = append(roots, filepath.Clean(f.URI.FsPath()))
			}
		}
	}
	if len(roots) == 0 && p.RootURI != nil && p.RootURI.IsFile() {
		roots = append(roots, filepath.Clean(p.RootURI.FsPath()))
	}
	if rp, ok := p.RootPath.Get(); len(roots) == 0 && ok && rp != "" {
		roots = append(roots, filepath.Clean(rp))
	}
	st := defaultSettings()
	if len(p.InitializationOptions) > 0 {
		if parsed, err := parseSettings(p.InitializationOptions); err != nil {
			s.log.Warn("ignoring initializationOptions", "err", err)
		} else {
			st = parsed
		}
	}
	s.mu.Lock()
	s.roots = roots
	s.settings = st
	s.progressOK = p.Capabilities.Window != nil && p.Capabilities.Window.WorkDoneProgress != nil && *p.Capabilities.Window.WorkDoneProgress
	s.refreshLens, s.refreshHint = refreshSupport(p.Capabilities.Workspace)
	s.createFiles = canCreateFiles(p.Capabilities)
	s.mapper = newMapper(roots, st)
	s.mu.Unlock()
	s.log.Info("initialize", "roots", roots, "client", p.ClientInfo.Name)
	return &protocol.InitializeResult{Capabilities: capabilities(), ServerInfo: protocol.ServerInfo{Name: "leaklsp", Version: protocol.NewOptional(s.opts.Version)}}, nil
}

func capabilities() protocol.ServerCapabilities {
	change := protocol.TextDocumentSyncKindIncremental
	return protocol.ServerCapabilities{
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: ptr(true), Change: &change, Save: &protocol.SaveOptions{IncludeText: ptr(false)},
		},
		HoverProvider:      protocol.Boolean(true),
		CodeLensProvider:   &protocol.CodeLensOptions{},
		InlayHintProvider:  protocol.Boolean(true), // answers only with lens.style "inlayHint" (inlay.go)
		CodeActionProvider: &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, KindFixAll}},
		ExecuteCommandProvider: protocol.ExecuteCommandOptions{
			Commands: []string{CmdOpenSnapshot, CmdCompareSnapshots, CmdCloseSnapshot, CmdScanWorkspace},
		},
	}
}

// Initialized starts the workspace scan and, if configured, the snapshot load.
func (s *Server) Initialized(context.Context, *protocol.InitializedParams) error {
	go s.scanWorkspace(s.ctx, nil)
	s.mu.Lock()
	st := s.settings
	s.mu.Unlock()
	if st.Snapshot != "" {
		go s.loadFromSettings(st)
	}
	return nil
}

// Shutdown stops the document workers; the process ends on exit.
func (s *Server) Shutdown(context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	s.stopWorkers()
	return nil
}

func (s *Server) stopWorkers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		d.worker.stop()
	}
}

// Exit ends the process: 0 after shutdown, 1 otherwise (LSP spec).
func (s *Server) Exit(context.Context) error {
	s.mu.Lock()
	code := 1
	if s.shutdown {
		code = 0
	}
	s.mu.Unlock()
	s.log.Info("exit", "code", code)
	s.opts.Exit(code)
	return nil
}

// inWorkspace reports whether path should be scanned: inside a workspace
// folder (any path when there is none) and not under node_modules unless
// enabled. Editors open library .d.ts files too; those are not ours.
func (s *Server) inWorkspace(path string, st Settings, roots []string) bool {
	if !st.IncludeNodeModules && underNodeModules(path) {
		return false
	}
	if len(roots) == 0 {
		return true
	}
	for _, r := range roots {
		if rel, err := filepath.Rel(r, path); err == nil && rel != ".." && !filepath.IsAbs(rel) && !hasDotDotPrefix(rel) {
			return true
		}
	}
	return false
}

func hasDotDotPrefix(rel string) bool {
	return len(rel) >= 3 && rel[:2] == ".." && rel[2] == filepath.Separator
}

func underNodeModules(path string) bool {
	for dir := filepath.Dir(path); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if filepath.Base(dir) == "node_modules" {
			return true
		}
	}
	return false
}

// pathOf maps a document URI to a clean absolute path; ok is false for
// non-file URIs (untitled:, git:), which the server ignores.
func pathOf(u uri.URI) (string, bool) {
	if !u.IsFile() {
		return "", false
	}
	p := u.FsPath()
	if p == "" || !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

func ptr[T any](v T) *T { return &v }

// safely runs fn, turning a panic into an error: scans and loads run on
// goroutines of their own, where a panic would end the whole server.
func safely[T any](what string, fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", what, r)
		}
	}()
	return fn()
}
