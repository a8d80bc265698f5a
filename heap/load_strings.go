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
		t.Arena = dropSlack(t.Arena)
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

// dropSlack gives the arena's unused capacity back to the kernel, in place:
// a copy to the exact size would fault in fresh pages, which on this
// project's VMs cost 25-70 µs per 4 KiB page (42 of the strings section's
// 80 ms on a 118 MB snapshot), for memory that is mostly not
// resident anyway.
func dropSlack(a []byte) []byte {
	if cap(a)-len(a) >= 64<<10 {
		discard(a[len(a):cap(a)])
	}
	return a[:len(a):len(a)]
}
