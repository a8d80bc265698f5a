package heap

// semiPipeline runs the semidominator chunks 0..chunks-1 with
// workerCount() producers resolving them (chunk k by producer k mod P),
// each sending its stream buffers in order on its own channel, and the
// calling goroutine evaluating the chunks in order. Buffers go back to the
// producer that filled them.
//
// Producers read vertex slots; the evaluator overwrites them. A chunk's
// semidominators are written back when the next chunk is finished, that is
// once every producer is past the chunk below it: a packed value is read
// with an 8-byte load that may reach into the chunk above, never two
// chunks up (chunks are at least 64 slots and start on byte boundaries).
//
// No deadlock: when the evaluator waits for producer p, p's queue is empty
// and the evaluator holds none of p's buffers, so p has all of them.
func semiPipeline(chunks uint32, bounds func(k uint32) (lo, hi uint32), r *semiResolver, e *semiEvaluator) {
	producers := uint32(workerCount())
	type part struct {
		buf  []uint32
		last bool
	}
	out := make([]chan part, producers)
	backs := make([]chan []uint32, producers)
	for p := range producers {
		out[p] = make(chan part, semiBuffers)
		back := make(chan []uint32, semiBuffers)
		for range semiBuffers {
			back <- make([]uint32, 0, semiBufLen)
		}
		go func() {
			flush := func(buf []uint32, last bool) []uint32 {
				out[p] <- part{buf, last}
				if last {
					return nil
				}
				return <-back
			}
			for k := p; k < chunks; k += producers {
				lo, hi := bounds(k)
				r.resolve(lo, hi, <-back, flush)
			}
		}()
		backs[p] = back
	}
	for k := range chunks {
		e.start(bounds(k))
		for from := out[k%producers]; ; {
			pt := <-from
			e.eval(pt.buf)
			backs[k%producers] <- pt.buf[:0]
			if pt.last {
				break
			}
		}
		e.finish()
	}
	e.writeBack()
}

// semiBuffers is the number of stream buffers per producer.
const semiBuffers = 4
