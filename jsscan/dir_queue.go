package jsscan

import (
	"sort"
	"sync"
)

// fileQueue hands the files of ScanDir to its workers while the
// directory walk is still finding them: the walk (a readdir and an lstat
// per file) no longer runs alone before the scan. Files are taken in the
// order found until the walk ends; the rest then go largest first, so
// that one big bundle found late does not finish alone at the end.
//
// Heavy files (heavySize and up: compiler bundles such as typescript.js,
// whose syntax tree is ~20 times the file) are scanned one at a time.
// Two at once doubled the peak heap (the corpus scan's 340-450 MB peak
// RSS was typescript.js beside _tsc.js), and on the benchmark VM every
// fresh 4 KiB page costs a page fault; one after the other, the second
// reuses the first's memory while the other workers take the small files.
type fileQueue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	all   []*fileJob // every file, in path order (the order of the results)
	todo  []*fileJob // not yet taken
	done  bool       // the walk has ended (and todo is sorted)
	heavy bool       // a heavy file is being scanned
}

const heavySize = 2 << 20

// fileJob is one file and, once scanned, its result.
type fileJob struct {
	path string
	size int64
	res  result
}

func newFileQueue() *fileQueue {
	q := &fileQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *fileQueue) add(path string, size int64) {
	job := &fileJob{path: path, size: size}
	q.mu.Lock()
	q.all = append(q.all, job)
	q.todo = append(q.todo, job)
	q.mu.Unlock()
	q.cond.Signal()
}

// close ends the walk: what is left is sorted largest first.
func (q *fileQueue) close() {
	q.mu.Lock()
	sort.SliceStable(q.todo, func(a, b int) bool { return q.todo[a].size > q.todo[b].size })
	q.done = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// next waits for a file to scan; nil when there are no more. prev is
// the file the worker has just scanned (nil at first).
func (q *fileQueue) next(prev *fileJob) *fileJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	if prev != nil && prev.size >= heavySize {
		q.heavy = false
		q.cond.Broadcast()
	}
	for {
		if i := q.takeable(); i >= 0 {
			job := q.todo[i]
			q.todo = append(q.todo[:i], q.todo[i+1:]...)
			q.heavy = q.heavy || job.size >= heavySize
			return job
		}
		if len(q.todo) == 0 && q.done {
			return nil
		}
		q.cond.Wait()
	}
}

// takeable is the index in todo of the next file to give out, -1 for
// none yet: the first one, unless it is heavy while another heavy file is
// being scanned (then the first light one).
func (q *fileQueue) takeable() int {
	for i, job := range q.todo {
		if job.size < heavySize || !q.heavy {
			return i
		}
	}
	return -1
}
