package har

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/akinspect/akinspect/internal/bytesize"
)

// The stream hands entries to the scanning workers in batches, some
// hundred KiB of entries each: a channel send, a buffer and a result slice
// per batch rather than per entry. Results are put back in file order.

// batchBytes is about how many bytes of entries a batch holds.
const batchBytes = 256 << 10

// batch is entries in a row of log.entries, their bytes one after another.
type batch struct {
	seq  int
	buf  []byte
	ents []batchEntry
}

type batchEntry struct {
	index    int
	off, n   int64 // in the file
	from, to int   // in buf
	over     bool  // over the limit: not in buf
}

type batchResult struct {
	items   []scannedEntry
	skipped []skippedEntry
}

// scanEntries streams the HAR once and indexes its entries (scanEntry),
// on every CPU. The indexed entries come back in file order, in chunks (n
// in all), and so do the skipped ones.
func scanEntries(r io.Reader, limit int64) (chunks [][]scannedEntry, n int, skipped []skippedEntry, total int, parts harLogParts, err error) {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *batch, 2*workers)
	free := make(chan *batch, 3*workers) // batches, reused
	var mu sync.Mutex
	var results []batchResult // by seq
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var sc entryScanner
			for b := range jobs {
				res := scanBatch(&sc, b, limit)
				mu.Lock()
				for len(results) <= b.seq {
					results = append(results, batchResult{})
				}
				results[b.seq] = res
				mu.Unlock()
				select {
				case free <- b:
				default:
				}
			}
		})
	}
	cur := newBatch(free, 0)
	into := func() []byte { return cur.buf[len(cur.buf):] }
	parts, err = walkHAR(r, limit, into, func(i int, raw []byte, off, size int64) {
		total++
		e := batchEntry{index: i, off: off, n: size, from: len(cur.buf), over: raw == nil}
		if n := len(cur.buf); len(raw) > 0 && cap(cur.buf) > n && &raw[0] == &cur.buf[:n+1][n] {
			cur.buf = cur.buf[:n+len(raw)] // written in place
		} else {
			cur.buf = append(cur.buf, raw...)
		}
		e.to = len(cur.buf)
		cur.ents = append(cur.ents, e)
		if len(cur.buf) >= batchBytes {
			jobs <- cur
			cur = newBatch(free, cur.seq+1)
		}
	})
	jobs <- cur
	close(jobs)
	wg.Wait()
	for k := range results {
		if len(results[k].items) > 0 {
			chunks = append(chunks, results[k].items)
			n += len(results[k].items)
		}
		skipped = append(skipped, results[k].skipped...)
	}
	return chunks, n, skipped, total, parts, err
}

// newBatch takes a free batch, or makes one.
func newBatch(free chan *batch, seq int) *batch {
	select {
	case b := <-free:
		b.seq, b.buf, b.ents = seq, b.buf[:0], b.ents[:0]
		return b
	default:
		return &batch{seq: seq, buf: make([]byte, 0, batchBytes+batchBytes/4)}
	}
}

// scanBatch indexes the entries of a batch.
func scanBatch(sc *entryScanner, b *batch, limit int64) batchResult {
	res := batchResult{items: make([]scannedEntry, 0, len(b.ents))}
	for _, e := range b.ents {
		if e.over {
			res.skipped = append(res.skipped, skippedEntry{e.index, fmt.Sprintf("%s, over the limit of %s for one entry", bytesize.Text(e.n), bytesize.Text(limit))})
			continue
		}
		it, err := sc.scanEntry(b.buf[e.from:e.to:e.to])
		if err != nil {
			res.skipped = append(res.skipped, skippedEntry{e.index, err.Error()})
			continue
		}
		it.index, it.off, it.n = e.index, e.off, e.n
		res.items = append(res.items, it)
	}
	return res
}
