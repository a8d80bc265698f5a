package heap

// TEMPORARY: replaced by the real detectors (delete this file when analyze.go lands).

// AnalyzeOptions configures Analyze.
type AnalyzeOptions struct {
	Baseline *Snapshot // optional earlier snapshot of the same process
}

// Analyze builds the graph and runs every detector.
func Analyze(s *Snapshot, opts AnalyzeOptions) []Suspect { return nil }
