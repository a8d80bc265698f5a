package heap

// A watermark baseline is an earlier moment of the process known only by
// the last object id V8 had assigned then (the inspector's
// HeapProfiler.lastSeenObjectId, read while heap objects are tracked). V8
// gives heap objects odd ids from one counter, in the order it first sees
// them, and a tracking pass sees every live object, so an object of the
// target with a higher odd id was allocated after that moment: one
// snapshot says what is new, as memlab does, without a baseline snapshot.
//
// What it cannot say is how many objects a site had at the baseline: the
// objects freed since are gone from the target. Growth per site is then
// the number of new objects, and "before" counts the old ones still alive;
// a bounded cache that replaced its entries shows its new entries as
// growth. Callers that need net growth compare with a snapshot baseline.

// NewWatermarkBaseline returns the baseline of the moment V8's last
// assigned object id was lastID.
func NewWatermarkBaseline(lastID uint32) *Baseline {
	return &Baseline{watermark: true, lastID: lastID}
}

// isNew reports whether node v of s was allocated after the baseline.
// With a watermark, embedder (native) nodes are never new: the tracking
// pass behind the watermark walks the V8 heap only, so they get their ids
// when the target snapshot is written, however old they are.
func (b *Baseline) isNew(s *Snapshot, v uint32) bool {
	id := s.NodeIDs[v]
	if !b.watermark {
		return !b.ids.has(id)
	}
	return id&1 == 1 && id > b.lastID && s.NodeKinds[v] != NodeNative
}

// hasSummary reports whether the baseline holds the earlier snapshot's own
// counts (sites, V8's prototype-users list), not only a watermark.
func (b *Baseline) hasSummary() bool { return b != nil && !b.watermark }

// watermarkGrowth is the number of members allocated after a watermark
// baseline: with no baseline snapshot to compare a detector's group with,
// its new members are its growth. Zero for other baselines, whose growth
// comes from the growth detector.
func (p *Pass) watermarkGrowth(members []uint32) int {
	if p.Baseline == nil || !p.Baseline.watermark {
		return 0
	}
	n := 0
	for _, v := range members {
		if p.Baseline.isNew(p.Snapshot, v) {
			n++
		}
	}
	return n
}
