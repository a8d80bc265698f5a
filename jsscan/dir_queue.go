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
type fileQueue struct {
	mu   sync.Mutex
	cond *sync.Cond
	all  []*fileJob // every file, in path order (the order of the results)
	todo []*fileJob // not yet taken
	done bool       // the walk has ended (and todo is sorted)
}

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

// next waits for a file to scan; nil when there are no more.
func (q *fileQueue) next() *fileJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.todo) == 0 && !q.done {
		q.cond.Wait()
	}
	if len(q.todo) == 0 {
		return nil
	}
	job := q.todo[0]
	q.todo = q.todo[1:]
	return job
}
