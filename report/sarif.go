package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"

	"github.com/leaklsp/leaklsp/jsscan"
)

// SARIF 2.1.0 (OASIS), the subset leaklsp writes. Lines and columns are
// 1-based; columns count UTF-16 code units (SARIF's default columnKind).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
		ColumnKind         string                      `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		Name             string       `json:"name"`
		ShortDescription sarifMessage `json:"shortDescription"`
		HelpURI          string       `json:"helpUri"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string          `json:"ruleId"`
		RuleIndex        int             `json:"ruleIndex"`
		Level            string          `json:"level"`
		Message          sarifMessage    `json:"message"`
		Locations        []sarifLocation `json:"locations"`
		RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
		Fixes            []sarifFix      `json:"fixes,omitempty"`
		Properties       map[string]any  `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               *int                   `json:"id,omitempty"`
		PhysicalLocation *sarifPhysical         `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifMessage          `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifLogicalLocation struct {
		Name               string `json:"name"`
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion   `json:"deletedRegion"`
		InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
	}
)

const srcRoot = "SRCROOT"

// WriteSARIF writes a SARIF 2.1.0 log with one run. Paths inside root are
// relative to the SRCROOT base id (so code-scanning UIs link them); heap
// suspects outside the workspace get a logical location naming the script.
func WriteSARIF(w io.Writer, ds []Diagnostic, root, version string) error {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "leaklsp", Version: version, InformationURI: "https://github.com/leaklsp/leaklsp"}},
		Results:    []sarifResult{},
		ColumnKind: "utf16CodeUnits",
	}
	if root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: fileURL(root) + "/"}}
	}
	index := map[string]int{}
	for _, r := range Rules {
		index[r.Code] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: r.Code, Name: r.Name, ShortDescription: sarifMessage{r.Short}, HelpURI: DocURL(r.Code)})
	}
	for i := range ds {
		d := &ds[i]
		if _, ok := index[d.Code]; !ok {
			r := RuleFor(d.Code)
			index[d.Code] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: r.Code, Name: r.Name, ShortDescription: sarifMessage{r.Short}, HelpURI: DocURL(r.Code)})
		}
		run.Results = append(run.Results, sarifResultOf(d, index[d.Code], root))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifResultOf(d *Diagnostic, ruleIndex int, root string) sarifResult {
	res := sarifResult{
		RuleID: d.Code, RuleIndex: ruleIndex, Level: sarifLevel(d.Severity),
		Message:    sarifMessage{d.Message},
		Properties: map[string]any{"evidence": string(d.Source)},
	}
	if d.File != "" {
		res.Locations = []sarifLocation{{PhysicalLocation: physical(d.File, d.Range, root)}}
	} else {
		res.Locations = []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{Name: filepath.Base(d.Script), FullyQualifiedName: d.Script, Kind: "module"}}}}
		res.Properties["script"] = d.Script
		res.Properties["line"] = d.Range.Start.Line + 1
		res.Properties["column"] = d.Range.Start.Column + 1
	}
	if d.Heap != nil {
		res.Properties["count"] = d.Heap.Count
		res.Properties["retainedBytes"] = d.Heap.RetainedBytes
		if p := PathString(d.Heap.Path); p != "" {
			res.Properties["retainerPath"] = p
		}
	}
	for i, r := range d.Related {
		if r.File == "" {
			continue
		}
		id := i + 1
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: physical(r.File, r.Range, root), Message: &sarifMessage{r.Message}})
	}
	for _, f := range d.Fixes {
		res.Fixes = append(res.Fixes, sarifFixOf(f, root))
	}
	return res
}

func sarifFixOf(f jsscan.Fix, root string) sarifFix {
	fix := sarifFix{Description: sarifMessage{f.Title}, ArtifactChanges: []sarifArtifactChange{}}
	byPath := map[string]int{}
	for _, e := range f.Edits {
		p := e.Path
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		i, ok := byPath[p]
		if !ok {
			i = len(fix.ArtifactChanges)
			byPath[p] = i
			fix.ArtifactChanges = append(fix.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(p, root), Replacements: []sarifReplacement{}})
		}
		rep := sarifReplacement{DeletedRegion: region(fromScan(e.Range))}
		if e.NewText != "" {
			rep.InsertedContent = &sarifMessage{e.NewText}
		}
		fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, rep)
	}
	return fix
}

func physical(file string, r Range, root string) *sarifPhysical {
	reg := region(r)
	return &sarifPhysical{ArtifactLocation: artifact(file, root), Region: &reg}
}

func artifact(file, root string) sarifArtifactLoc {
	if rel := relPath(root, file); rel != file {
		return sarifArtifactLoc{URI: (&url.URL{Path: rel}).EscapedPath(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: fileURL(file)}
}

func region(r Range) sarifRegion {
	return sarifRegion{StartLine: r.Start.Line + 1, StartColumn: r.Start.Column + 1, EndLine: r.End.Line + 1, EndColumn: r.End.Column + 1}
}

func fileURL(p string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

func sarifLevel(s jsscan.Severity) string {
	switch s {
	case jsscan.SeverityError:
		return "error"
	case jsscan.SeverityWarning:
		return "warning"
	}
	return "note"
}
