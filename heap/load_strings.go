package heap

// readStrings decodes the "strings" array one string at a time into a
// single byte arena; no Go string is allocated per entry.
func (l *loader) readStrings() error {
	sc, t := l.sc, &l.snap.Strings
	if err := sc.expect('[', "'[' to start \"strings\""); err != nil {
		return err
	}
	if l.size > 0 && !l.gz {
		// V8 writes strings last, so the rest of the file bounds the arena.
		t.Arena = makeColumn[byte](0, int(min(max(l.size-sc.offset(), 0), 256<<20)))
	}
	var offsets chunks[uint64]
	offsets.add(0)
	defer func() {
		t.Offsets = offsets.join()
		if cap(t.Arena) > len(t.Arena)+len(t.Arena)/4 {
			t.Arena = append([]byte(nil), t.Arena...) // drop append's slack
		}
	}()
	if c, ok := sc.peek(); ok && c == ']' {
		sc.pos++
		return nil
	}
	for {
		var err error
		if t.Arena, err = sc.str(t.Arena); err != nil {
			return err
		}
		offsets.add(uint64(len(t.Arena)))
		c, ok := sc.peek()
		if ok && c == ',' {
			sc.pos++
			continue
		}
		if ok && c == ']' {
			sc.pos++
			return nil
		}
		return sc.unexpected("',' or ']' in \"strings\"")
	}
}
