package packfs

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"slices"
)

// Pack packs the files of fsys that match patterns (fs.Glob's syntax),
// uncompressed, in path order; compress the result with gzip to Open it.
// The generator (./pack) and the tests use it.
func Pack(fsys fs.FS, patterns ...string) ([]byte, error) {
	var names []string
	for _, p := range patterns {
		m, err := fs.Glob(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("packfs: %s: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("packfs: %s matches no file", p)
		}
		names = append(names, m...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var out []byte
	for _, n := range names {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("packfs: %w", err)
		}
		out = binary.AppendUvarint(out, uint64(len(n)))
		out = append(out, n...)
		out = binary.AppendUvarint(out, uint64(len(body)))
		out = append(out, body...)
	}
	return out, nil
}
