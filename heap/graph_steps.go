package heap

import "time"

// GraphOptions tunes NewGraphWith.
type GraphOptions struct {
	// Step, when set, is called after each step of the build (retainers,
	// dominators' DFS, ..., distances) with the step's name and wall time,
	// so benchmarks can tell which step a change moved.
	Step func(name string, d time.Duration)
}

// stepClock reports the time since the previous step to GraphOptions.Step.
type stepClock struct {
	report func(string, time.Duration)
	last   time.Time
}

func newStepClock(report func(string, time.Duration)) *stepClock {
	return &stepClock{report: report, last: time.Now()}
}

// done reports the step that just ended; a no-op without a Step option.
func (c *stepClock) done(name string) {
	if c == nil || c.report == nil {
		return
	}
	now := time.Now()
	c.report(name, now.Sub(c.last))
	c.last = now
}
