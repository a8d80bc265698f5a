package heap

// Site is a position in a script as V8 reports it.
type Site struct {
	Script   string `json:"script"`             // script URL or path from the snapshot
	Line     int    `json:"line"`               // 0-based
	Column   int    `json:"column"`             // 0-based, UTF-16 code units
	Function string `json:"function,omitempty"` // function name, if known
}

// Hop is one step of a retainer path, from a GC root towards the suspect.
// Edge is the name of the edge that leads to Node.
type Hop struct {
	Edge   string `json:"edge"`           // e.g. "timeout", "[3]", "<symbol kResourceStore>"
	Node   string `json:"node"`           // e.g. "Timeout @4321", "system / Context"
	NodeID uint32 `json:"nodeId"`         // snapshot object id
	Site   *Site  `json:"site,omitempty"` // source position of Node, when known
}

// Related is another source position that belongs to a suspect (the store
// a timer keeps, the recursive call, another site of the same chain).
type Related struct {
	Site Site   `json:"site"`
	Note string `json:"note"`
}

// Suspect is one leak suspect found by a detector.
type Suspect struct {
	Code     string `json:"code"`     // stable code, see codes.go
	Detector string `json:"detector"` // detector name
	Site     Site   `json:"site"`     // where to blame
	Count    int    `json:"count"`    // objects in the group
	// SelfBytes sums the self sizes of the group; RetainedBytes is what
	// would be freed if the group were collected (dominator-based).
	SelfBytes     uint64    `json:"selfBytes"`
	RetainedBytes uint64    `json:"retainedBytes"`
	Path          []Hop     `json:"path,omitempty"` // one representative path, root first
	Related       []Related `json:"related,omitempty"`
	Message       string    `json:"message"` // one sentence: what leaks and why
	Advice        string    `json:"advice"`  // what to do about it
	// Growth is set by baseline comparison: objects added since the baseline.
	Growth int `json:"growth,omitempty"`
	// Holder, with a baseline, is the object that already existed at the
	// baseline and now holds most of the new objects (the Map, array or
	// listener list that grows), as the last hop of its retainer path.
	Holder *Hop `json:"holder,omitempty"`
}
