//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// serverRuns times openSnapshot in `leaklsp serve`: first open, again in
// the same server, and in a new server process.
func serverRuns(bin, snap, work string) error {
	index := filepath.Join(work, "server-index")
	a, err := startServer(bin, index, work)
	if err != nil {
		return err
	}
	defer a.close()
	first, err := a.timeOpen("server first open", snap)
	if err != nil {
		return err
	}
	// The index is written in the background after the reply: wait for it,
	// as a user reopening a minute later would.
	t0 := time.Now()
	if err := waitIndex(index); err != nil {
		return err
	}
	fmt.Printf("server index written after the reply: %.3f s\n", time.Since(t0).Seconds())
	a.waitIdle() // the writer hands its memory back after the rename
	for _, ext := range []string{".lidx", ".lres"} {
		m, _ := filepath.Glob(filepath.Join(index, "*"+ext))
		for _, p := range m {
			if fi, err := os.Stat(p); err == nil {
				fmt.Printf("server %s file MB: %.3f\n", ext, float64(fi.Size())/1e6)
			}
		}
	}
	if os.Getenv("REOPEN_KEEP") != "" { // for profiling the re-open by hand
		exec.Command("cp", "-r", index, os.Getenv("REOPEN_KEEP")).Run()
	}
	again, err := a.timeOpen("server re-open, same server", snap)
	if err != nil {
		return err
	}
	b, err := startServer(bin, index, work)
	if err != nil {
		return err
	}
	defer b.close()
	fresh, err := b.timeOpen("server re-open, new server", snap)
	if err != nil {
		return err
	}
	if again != first || fresh != first {
		return fmt.Errorf("re-open answered %s / %s, first open %s", again, fresh, first)
	}
	fmt.Printf("server re-open RSS MiB: %.0f (new server, after the re-open)\n", float64(b.rss())/(1<<20))
	return nil
}

// server is a `leaklsp serve` process spoken to over stdio.
type server struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	next int
}

func startServer(bin, index, root string) (*server, error) {
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "LEAKLSP_INDEX_DIR="+index)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, in: in, out: bufio.NewReader(out)}
	folders := fmt.Sprintf(`[{"uri":"file://%s","name":"w"}]`, root)
	if _, err := s.call("initialize", `{"processId":null,"rootUri":null,"capabilities":{},"workspaceFolders":`+folders+`}`); err != nil {
		s.close()
		return nil, err
	}
	return s, s.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
}

// timeOpen opens snap, prints the time to the reply, and returns the
// reply's result.
func (s *server) timeOpen(name, snap string) (string, error) {
	loadavg(name)
	path, _ := json.Marshal(snap)
	cpu0, start := s.cpu(), time.Now()
	res, err := s.call("workspace/executeCommand", `{"command":"leaklsp.server.openSnapshot","arguments":[{"path":`+string(path)+`}]}`)
	if err != nil {
		return "", err
	}
	wall, cpu := time.Since(start), s.cpu()-cpu0
	fmt.Printf("%s: reply %.3f s, server cpu %.2f s\n", name, wall.Seconds(), cpu.Seconds())
	return string(res), nil
}

func (s *server) send(msg string) error {
	_, err := fmt.Fprintf(s.in, "Content-Length: %d\r\n\r\n%s", len(msg), msg)
	return err
}

// call sends a request and reads messages until its response, answering
// the server's own requests with null.
func (s *server) call(method, params string) (json.RawMessage, error) {
	s.next++
	id := s.next
	if err := s.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, method, params)); err != nil {
		return nil, err
	}
	for {
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := s.read(&msg); err != nil {
			return nil, err
		}
		switch {
		case msg.Method != "" && msg.ID != nil:
			if err := s.send(`{"jsonrpc":"2.0","id":` + string(msg.ID) + `,"result":null}`); err != nil {
				return nil, err
			}
		case msg.Method == "" && string(msg.ID) == strconv.Itoa(id):
			if msg.Error != nil {
				return nil, fmt.Errorf("%s: %s", method, msg.Error)
			}
			return msg.Result, nil
		}
	}
}

func (s *server) read(v any) error {
	n := -1
	for {
		line, err := s.out.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			if n, err = strconv.Atoi(v); err != nil {
				return err
			}
		}
	}
	if n < 0 {
		return fmt.Errorf("message without Content-Length")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(s.out, body); err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

// cpu is the server's user+sys time so far, from /proc (10 ms ticks).
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64) // fields 14 and 15 of stat(5)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// rss is the server's resident set now, from /proc.
func (s *server) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func (s *server) close() {
	s.in.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// waitIdle waits until the server has used no CPU for half a second (or
// half a minute has passed).
func (s *server) waitIdle() {
	last := s.cpu()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
		time.Sleep(500 * time.Millisecond)
		now := s.cpu()
		if now == last {
			return
		}
		last = now
	}
}

// waitIndex waits until the index directory holds a graph index and no
// file being written.
func waitIndex(dir string) error {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		idx, _ := filepath.Glob(filepath.Join(dir, "*.lidx"))
		tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
		if len(idx) > 0 && len(tmp) == 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no graph index in %s after 10 minutes", dir)
}
