package inspector

import (
	"context"
	"fmt"
	"io"

	"github.com/chromedp/cdproto/cdp"
	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/heapprofiler"
)

// Options configures Capture.
type Options struct {
	// Tracking means StartTracking ran on this session: the snapshot is then
	// taken by stopping the tracking, which is how V8 hands out the
	// allocation stacks (trace_function_infos) it recorded.
	Tracking bool
	// Progress, if set, is called as V8 builds the snapshot (Phase
	// "building", Done/Total objects) and as its text arrives (Phase
	// "receiving", Bytes so far).
	Progress func(Progress)
}

// Progress is one progress report of a capture.
type Progress struct {
	Phase       string // "building" or "receiving"
	Done, Total int64  // objects, while building
	Bytes       int64  // snapshot text received so far
}

// StartTracking makes V8 record the allocation stack of every object
// allocated from now on (DevTools' "allocation instrumentation on
// timeline"). Objects allocated before it have no stack. It slows the
// process down; Capture with Options.Tracking ends it.
func StartTracking(ctx context.Context, s *Session) error {
	if _, err := cdp.Call(ctx, s, heapprofiler.Enable, cdp.Empty{}); err != nil {
		return err
	}
	on := true
	_, err := cdp.Call(ctx, s, heapprofiler.StartTrackingHeapObjects, heapprofiler.StartTrackingHeapObjectsParams{TrackAllocations: &on})
	return err
}

// Capture takes a heap snapshot of the session's process and writes its
// JSON text to w as it arrives, one chunk at a time. It returns the number
// of bytes written. If the connection ends before the snapshot is
// complete, the error wraps ErrClosed.
func Capture(ctx context.Context, s *Session, w io.Writer, opts Options) (int64, error) {
	if !opts.Tracking {
		if _, err := cdp.Call(ctx, s, heapprofiler.Enable, cdp.Empty{}); err != nil {
			return 0, err
		}
	}
	// No HeapProfiler.collectGarbage first: V8 starts every snapshot with
	// CollectAllAvailableGarbage, the very GC that command runs (weak
	// references and all), as v8.writeHeapSnapshot() does; a second one
	// would only add a full GC to the capture.
	chunks, stopChunks := s.subscribeChunks()
	defer stopChunks()
	progress, stopProgress := s.Subscribe(heapprofiler.ReportHeapSnapshotProgress.Method)
	defer stopProgress()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	finished := make(chan error, 1)
	go func() { finished <- takeSnapshot(ctx, s, opts.Tracking) }()

	c := &collector{s: s, w: w, progress: opts.Progress}
	for {
		select {
		case text, ok := <-chunks:
			if !ok {
				return c.n, c.lost(s)
			}
			if err := c.chunk(text); err != nil {
				return c.n, err
			}
		case raw, ok := <-progress:
			if !ok {
				progress = nil // closed with the connection; chunks says so
				continue
			}
			c.building(raw)
		case err := <-finished:
			if err != nil && s.Err() != nil {
				return c.n, c.lost(s) // the command failed because the connection ended
			}
			if err != nil {
				return c.n, err
			}
			// Every chunk came before the reply and is queued by now.
			return c.n, c.drain(chunks)
		}
	}
}

// takeSnapshot runs the command that makes V8 send the snapshot.
func takeSnapshot(ctx context.Context, s *Session, tracking bool) error {
	on := true
	if tracking {
		_, err := cdp.Call(ctx, s, heapprofiler.StopTrackingHeapObjects, heapprofiler.StopTrackingHeapObjectsParams{ReportProgress: &on})
		return err
	}
	_, err := cdp.Call(ctx, s, heapprofiler.TakeHeapSnapshot, heapprofiler.TakeHeapSnapshotParams{ReportProgress: &on})
	return err
}

// collector writes chunks and reports progress.
type collector struct {
	s        *Session
	w        io.Writer
	n        int64
	progress func(Progress)
	reported int64
}

// reportEvery is how many received bytes pass between progress reports.
const reportEvery = 4 << 20

func (c *collector) chunk(text []byte) error {
	n, err := c.w.Write(text)
	c.s.recycle(text)
	c.n += int64(n)
	if err != nil {
		return fmt.Errorf("writing the snapshot: %w", err)
	}
	if c.progress != nil && c.n-c.reported >= reportEvery {
		c.reported = c.n
		c.progress(Progress{Phase: "receiving", Bytes: c.n})
	}
	return nil
}

func (c *collector) building(raw jsonv2.Value) {
	var ev heapprofiler.EventReportHeapSnapshotProgress
	if c.progress == nil || jsonv2.Unmarshal(raw, &ev) != nil {
		return
	}
	c.progress(Progress{Phase: "building", Done: ev.Done, Total: ev.Total})
}

func (c *collector) drain(chunks <-chan []byte) error {
	for {
		select {
		case text, ok := <-chunks:
			if !ok {
				return nil
			}
			if err := c.chunk(text); err != nil {
				return err
			}
		default:
			if c.progress != nil {
				c.progress(Progress{Phase: "receiving", Bytes: c.n})
			}
			return nil
		}
	}
}

// lost explains a connection that ended mid-snapshot.
func (c *collector) lost(s *Session) error {
	<-s.Done()
	return fmt.Errorf("the inspected process went away during the capture (%d bytes of snapshot received): %w", c.n, s.Err())
}
