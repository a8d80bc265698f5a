package inspector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
)

// DefaultAddr is where `node --inspect` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:9229"

// Target is one debuggable target from an inspector's /json/list.
type Target struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	// URL is the main script (file://…) of a Node target.
	URL                  string `json:"url"`
	WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
}

// ErrNoInspector means nothing listens where the inspector was expected.
var ErrNoInspector = errors.New("no inspector")

// ErrNotInspector means something listens there, but it is not a Node
// inspector (a web server on the port, a wrong port number).
var ErrNotInspector = errors.New("not a Node inspector")

// Resolve turns a TARGET as a user types it into the WebSocket URL of one
// inspector target:
//
//	ws://127.0.0.1:9229/<id>   used as is
//	127.0.0.1:9229, :9229      the first target of that inspector's /json/list
//	9229                       a port on 127.0.0.1
//	""                         DefaultAddr
//	pid:1234                   that process's inspector, enabled with SIGUSR1
//	                           if it is not listening yet (Linux)
func Resolve(ctx context.Context, target string) (string, error) {
	switch {
	case strings.HasPrefix(target, "ws://"), strings.HasPrefix(target, "wss://"):
		return target, nil
	case strings.HasPrefix(target, "pid:"):
		pid, err := strconv.Atoi(strings.TrimPrefix(target, "pid:"))
		if err != nil || pid <= 0 {
			return "", fmt.Errorf("bad target %q: want pid:N with a process id", target)
		}
		return resolvePID(ctx, pid)
	}
	addr, err := hostPort(target)
	if err != nil {
		return "", err
	}
	ts, err := List(ctx, addr)
	if err != nil {
		return "", err
	}
	return firstTarget(addr, ts)
}

// hostPort normalises "host:port", ":port" and "port" to host:port.
func hostPort(target string) (string, error) {
	if target == "" {
		return DefaultAddr, nil
	}
	if strings.HasPrefix(target, "http://") {
		u, err := url.Parse(target)
		if err != nil {
			return "", fmt.Errorf("bad target %q: %w", target, err)
		}
		target = u.Host
	}
	if _, err := strconv.ParseUint(target, 10, 16); err == nil {
		return net.JoinHostPort("127.0.0.1", target), nil
	}
	host, port, err := net.SplitHostPort(target)
	if err != nil {
		return "", fmt.Errorf("bad target %q: want ws://…, host:port, a port, or pid:N", target)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", fmt.Errorf("bad target %q: port %q is not a number", target, port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

func firstTarget(addr string, ts []Target) (string, error) {
	for _, t := range ts {
		if t.WebSocketDebuggerURL != "" {
			return t.WebSocketDebuggerURL, nil
		}
	}
	return "", fmt.Errorf("the inspector at %s lists no target with a WebSocket URL", addr)
}

// List fetches the targets of the inspector at addr (host:port).
func List(ctx context.Context, addr string) ([]Target, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/json/list", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("%w at %s: connection refused (start node with --inspect, or use pid:N to enable the inspector of a running process)", ErrNoInspector, addr)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w at %s: no answer within 5s", ErrNotInspector, addr)
		}
		return nil, fmt.Errorf("%w at %s: %v", ErrNotInspector, addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w at %s: GET /json/list answered %s", ErrNotInspector, addr, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%w at %s: reading /json/list: %v", ErrNotInspector, addr, err)
	}
	var ts []Target
	if err := jsonv2.Unmarshal(body, &ts); err != nil {
		return nil, fmt.Errorf("%w at %s: /json/list is not a target list: %v", ErrNotInspector, addr, err)
	}
	return ts, nil
}

// dialError explains a failed WebSocket handshake.
func dialError(wsURL string, resp *http.Response, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%w at %s: connection refused (did the process exit?)", ErrNoInspector, wsURL)
	}
	if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
		return fmt.Errorf("cannot open %s: the inspector answered %s (a stale target id? list the current one with host:port)", wsURL, resp.Status)
	}
	return fmt.Errorf("cannot open %s: %w", wsURL, err)
}
